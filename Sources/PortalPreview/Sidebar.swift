import Foundation

/// The first sidebar of `sidebars.js` (its exported object is plain JSON, as the generator writes it).
struct Sidebar {
    indirect enum Item {
        case doc(String)
        case category(String, [Item])
    }

    var items: [Item]

    init(items: [Item]) {
        self.items = items
    }

    init?(_ text: String) {
        guard let start = text.firstIndex(of: "{"), let end = text.lastIndex(of: "}"),
              let tree = (try? JSONSerialization.jsonObject(with: Data(text[start...end].utf8))) as? [String: Any],
              let first = tree.keys.sorted().first, let list = tree[first] as? [Any] else { return nil }
        func item(_ node: Any) -> Item? {
            if let id = node as? String { return .doc(id) }
            guard let object = node as? [String: Any] else { return nil }
            if object["type"] as? String == "doc", let id = object["id"] as? String { return .doc(id) }
            return .category(object["label"] as? String ?? "", ((object["items"] as? [Any]) ?? []).compactMap(item))
        }
        items = list.compactMap(item)
    }

    /// Nested lists with links relative to the page `current`.
    func html(current: String, titles: [String: String]) -> String {
        let up = String(repeating: "../", count: current.split(separator: "/").count - 1)
        func render(_ items: [Item]) -> String {
            "<ul>" + items.map { item in
                switch item {
                case .doc(let id):
                    let mark = id == current ? " class=\"current\" aria-current=\"page\"" : ""
                    return "<li><a href=\"\(up)\(id).html\"\(mark)>\(MDXPage.escape(titles[id] ?? id))</a></li>"
                case .category(let label, let children):
                    return "<li><span class=\"category\">\(MDXPage.escape(label))</span>\(render(children))</li>"
                }
            }.joined() + "</ul>"
        }
        return render(items)
    }
}
