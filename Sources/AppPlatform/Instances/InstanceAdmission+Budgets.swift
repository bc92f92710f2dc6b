import PlatformContracts

extension InstanceAdmission {
    /// Refuses a launch while the project's or its tenant's budget for this month is spent:
    /// at 100 % policy always refuses new launches (`billing.budget_stops_running` decides only
    /// about running ones). The refusal is audited by ``admit(in:_:by:grants:requestID:)`` as
    /// `apps.instance.refuse` with the budget and the policy snapshot it was decided under.
    /// - Throws: ``ErrorCode/billingBudgetExhausted``.
    func checkBudgets(project: Project, snapshot: PolicySnapshot) async throws {
        let position = try await spend.position(project: project.id, tenant: project.tenantId)
        guard let spent = position.exhausted.first else { return }
        let budget = spent.budget
        let name = "\(budget.scope.rawValue)/\(budget.target)"
        throw PlatformError(
            .billingBudgetExhausted,
            "the \(budget.scope.rawValue) budget of \(budget.target) for \(spent.period) is spent (\(spent.spent.display) of "
                + "\(budget.limit.display) \(budget.limit.currency)); new launches are refused until it is raised or the month ends",
            details: ["budget": name, "period": spent.period.description, "spent": spent.spent.display, "limit": budget.limit.display,
                      "currency": budget.limit.currency, "policy_snapshot": snapshot.id])
    }
}
