import PlatformContracts

// What reflection cannot see in the billing types (see StatedSchemas.swift).

/// `YYYY-MM` text; the decoder refuses anything else (a reflected sample of "" would fail).
extension BillingPeriod: JSONSchemaDescribing {
    public static var jsonSchema: JSONSchema {
        JSONSchema(.string(pattern: "^[0-9]{4}-(0[1-9]|1[0-2])$"), description: "A calendar month in UTC, `YYYY-MM`.")
    }
    public static var jsonSchemaSample: BillingPeriod { BillingPeriod(containing: Timestamp(millisecondsSinceEpoch: 0)) }
}
