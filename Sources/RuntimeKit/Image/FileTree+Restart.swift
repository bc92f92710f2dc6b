import Foundation

extension FileTree {
    /// Empties an instance's folder for a new run, keeping its log: a restarted instance
    /// (`restartPolicy`) starts in the same folder, and its new output follows the old run's
    /// instead of replacing it. Creates the folder when absent.
    public static func clearKeepingLog(_ folder: URL, log name: String = "output.log") throws {
        let log = folder.appendingPathComponent(name)
        let kept = folder.deletingLastPathComponent().appendingPathComponent(".\(folder.lastPathComponent)-\(UUID().uuidString).log")
        let hadLog = FileManager.default.fileExists(atPath: log.path)
        if hadLog { try FileManager.default.moveItem(at: log, to: kept) }
        removeIfPresent(folder)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        if hadLog { try FileManager.default.moveItem(at: kept, to: log) }
    }
}
