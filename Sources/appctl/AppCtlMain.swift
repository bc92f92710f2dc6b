import AppCtlKit

#if canImport(Glibc)
import Glibc
#endif

/// The `appctl` executable: all behaviour lives in `AppCtlKit`.
@main
enum AppCtlMain {
    static func main() async {
        let status = await AppCtl.run(arguments: Array(CommandLine.arguments.dropFirst()), context: .live)
        exit(status)
    }
}
