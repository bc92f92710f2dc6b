import Foundation
import OCIKit
import PlatformContracts
import Testing

/// Inputs the OCI fuzz targets found (Fuzz/Corpus/fuzz-oci-manifest and fuzz-dsse, regression-*), kept as tests.
@Suite("OCI parser regressions")
struct OCIParserRegressionTests {
    static let image = #"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a","size":2},"layers":[]}"#

    @Test("a manifest PUT with Content-Type `;` or empty does not trap (it split into nothing and read element 0)",
          arguments: [";", "", " ; charset=utf-8", ";;"])
    func emptyContentTypeOnManifestPushDoesNotTrap(declared: String) throws {
        let (_, mediaType) = try ManifestDocument.parse(Data(Self.image.utf8), declared: declared)
        #expect(mediaType == MediaType.imageManifest)
    }

    @Test("a declared type with parameters is still compared by its type alone")
    func declaredTypeWithParameters() throws {
        let (_, mediaType) = try ManifestDocument.parse(Data(Self.image.utf8), declared: "application/vnd.oci.image.manifest.v1+json; charset=utf-8")
        #expect(mediaType == MediaType.imageManifest)
        #expect(throws: PlatformError(.artifactManifestInvalid)) {
            try ManifestDocument.parse(Data(Self.image.utf8), declared: "application/vnd.oci.image.index.v1+json")
        }
    }

    @Test("an in-toto statement none of whose subjects is {name, digest} is refused (it was accepted about nothing)")
    func statementWithoutValidSubjectIsRefused() throws {
        let statement = #"{"_type":"https://in-toto.io/Statement/v1","subject":[{"nape":"x","digest":{"sha256":"ab"}}],"predicateType":"https://slsa.dev/provenance/v1","predicate":{}}"#
        #expect(throws: PlatformError(.artifactSignatureMalformed)) { try InTotoStatement.parse(Data(statement.utf8)) }
        let valid = statement.replacingOccurrences(of: "nape", with: "name")
        let parsed = try InTotoStatement.parse(Data(valid.utf8))
        #expect(parsed.subjects.map(\.name) == ["x"])
        #expect(try InTotoStatement.parse(try parsed.encoded()).subjects == parsed.subjects)
    }
}
