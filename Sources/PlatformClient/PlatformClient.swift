import PlatformAPI

/// Placeholder while the client moves here from AppCtlKit (issue 17).
enum PlatformClientModule {}
