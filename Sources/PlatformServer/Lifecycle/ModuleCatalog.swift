import AppPlatform
import ArtifactRegistry
import AuditService
import EvidenceService
import IAMService
import LocalRuntimeAdapter
import MeteringService
import NotificationService
import PlatformContracts
import PlatformStore
import PolicyService
import RegistryService
import RuntimeKit
import SecretsService
import StatusService

/// The composition root's list of modules and their schemas: the one place that knows
/// every implementation.
enum ModuleCatalog {
    /// Every module, for the start-up log.
    static let modules: [ModuleDescriptor] = [
        IAMDirectory.descriptor, AuditLog.descriptor, MeteringModule.descriptor, HealthAggregator.descriptor,
        NotificationModule.descriptor, PolicyModule.descriptor, RegistryFiles.descriptor,
        EvidenceModule.descriptor, SecretsModule.descriptor,
        ArtifactRegistryModule.descriptor, RuntimeKitModule.descriptor, AppCatalog.descriptor,
    ]

    /// Every module's migrations, in dependency order.
    static let migrations: [MigrationSet] = [
        CoreSchema.migrations, IAMSchema.migrations, AuditSchema.migrations, AppCatalogSchema.migrations,
        SecretsSchema.migrations, ArtifactSchema.migrations, InstanceSchema.migrations, MeteringSchema.migrations,
        ConnectSchema.migrations, OutboxSchema.migrations, PolicySchema.migrations, NotificationSchema.migrations, BillingSchema.migrations,
        EvidenceSchema.migrations, StatusSchema.migrations, VolumeSchema.migrations,
    ]
}
