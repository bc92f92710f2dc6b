import CYAMLLimits
import PlatformContracts

extension DocumentLimits {
    /// Refuses YAML that would cost more than these limits once its aliases are expanded,
    /// without expanding them: libyaml's events are counted, each anchor remembering its
    /// expanded size, so the check is linear in the text (a 9^10 alias bomb is refused at the
    /// alias that crosses `maxNodes`, in microseconds). Syntax errors pass: the parser reports them.
    ///
    /// Call it before `Yams.compose`, `Yams.load` or `YAMLDecoder` on text from outside.
    public func check(yaml text: String) throws(DocumentTooComplex) {
        var text = text
        let measured = text.withUTF8 { bytes in
            platform_yaml_measure(bytes.baseAddress, bytes.count, platform_yaml_limits(
                max_bytes: maxBytes, max_nodes: maxNodes, max_depth: maxDepth, max_aliases: maxAliases))
        }
        if let refusal = DocumentTooComplex(verdict: Int(measured.verdict.rawValue), line: measured.line, column: measured.column, limits: self) {
            throw refusal
        }
    }
}
