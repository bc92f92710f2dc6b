import Foundation
import HTTPTypes
import Hummingbird
import PlatformAPI
import PlatformClient
import PlatformContracts

/// `/console/platform/instances` (every instance across tenants: tenants → projects →
/// instances through the API), `/console/platform/dead-letters` (the notification outbox's
/// dead letter, with retry) and `/console/platform/ledger` (`GET /v1/ledger/verify`).
enum OperatorFleetPages {
    static func register(on pages: ConsolePages) {
        pages.get("platform/instances") { page in
            // One page of each project's newest (the API's `limit`), merged: the newest
            // ``ConsoleInstancePages/pageSize`` across the platform; each project's page pages the rest.
            let projects = try await OperatorPageSupport.projects(page)
            var listed: [(project: ConsoleProjects.Entry, instance: InstanceRecord)] = []
            var more = false
            for project in projects {
                let instances = try await page.api.send(Endpoints.listInstances, path: ProjectPath(project: project.id),
                                                        query: InstancesQuery(limit: ConsoleInstancePages.pageSize))
                more = more || instances.count >= ConsoleInstancePages.pageSize
                listed += instances.map { (project, $0) }
            }
            listed.sort { ($0.instance.createdAt, $0.instance.id) > ($1.instance.createdAt, $1.instance.id) }
            more = more || listed.count > ConsoleInstancePages.pageSize
            listed = Array(listed.prefix(ConsoleInstancePages.pageSize))
            var phases: [String: Int] = [:]
            let rows = listed.map { project, instance -> [String: Any] in
                phases[instance.phase.name, default: 0] += 1
                return [
                    "id": instance.id, "projectId": project.id, "project": project.path, "tenant": project.tenantName,
                    "app": instance.app, "version": instance.version, "phase": instance.phase.name,
                    "message": instance.message as Any, "adapter": instance.adapter, "node": instance.node ?? "",
                    "gpus": instance.gpus.map(String.init).joined(separator: ", "), "launchedBy": instance.launchedBy,
                    "createdAt": instance.createdAt,
                ]
            }
            return try page.render(.platformInstances, title: "All instances", [
                "instances": rows, "hasInstances": !rows.isEmpty, "count": rows.count, "more": more,
                "phases": phases.sorted { $0.key < $1.key }.map { ["phase": $0.key, "count": $0.value] },
                "projects": projects.map { ["name": $0.path, "href": ConsoleEndUser.instancesPath($0.id)] },
            ] as [String: Any])
        }

        pages.get("platform/dead-letters") { page in
            let limit = page.query.text("limit").flatMap(Int.init).map { min(max($0, 1), 1000) } ?? 100
            let letters = try await page.api.send(Endpoints.listDeadLetters, query: DeadLettersQuery(limit: limit))
            return try page.render(.platformDeadLetters, title: "Notification dead letter", [
                "letters": letters.map { letter -> [String: Any] in
                    ["eventId": letter.eventId, "htmlId": OperatorPageSupport.htmlID(letter.eventId), "topic": letter.topic,
                     "attempts": letter.attempts, "lastError": letter.lastError ?? "", "createdAt": letter.createdAt,
                     "action": "/console/platform/dead-letters/\(OperatorPageSupport.segment(letter.eventId))/retry"]
                },
                "hasLetters": !letters.isEmpty,
            ] as [String: Any])
        }
        pages.post("platform/dead-letters/:event/retry") { page in
            let event = try page.parameter("event")
            _ = try await page.api.send(Endpoints.retryDeadLetter, path: DeadLetterPath(event: event))
            return page.redirect(to: "/console/platform/dead-letters", notice: "Event \(event) is queued for delivery again.")
        }

        pages.get("platform/ledger") { page in
            let verification = try await page.api.send(Endpoints.verifyLedger)
            let failed = verification.checks.filter { !$0.passed }
            return try page.render(.platformLedger, title: "Ledger verification", [
                "passed": verification.passed,
                "status": verification.passed ? "verified" : "failed: " + failed.map(\.name).joined(separator: ", "),
                "checkedAt": verification.checkedAt.rfc3339,
                "entries": verification.entries, "postings": verification.postings, "charges": verification.charges,
                "checks": verification.checks.map { check -> [String: Any] in
                    ["name": check.name, "result": check.passed ? "passed" : "failed", "passed": check.passed, "detail": check.detail,
                     "violations": check.violations.joined(separator: ", ")]
                },
            ] as [String: Any])
        }
    }
}
