import ArgumentParser
import PlatformServer

/// The `platformd` executable: all behaviour lives in `PlatformServer`.
@main
enum Platformd {
    static func main() async {
        await PlatformdCommand.main()
    }
}
