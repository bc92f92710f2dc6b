/// The page around the rendered Markdown: sidebar, content, a little CSS.
enum PreviewTemplate {
    static func page(title: String, id: String, body: String, navigation: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(MDXPage.escape(title)) · App platform developer portal</title>
        <style>\(css)</style>
        </head>
        <body>
        <nav class="sidebar" aria-label="Portal">\(navigation)</nav>
        <main data-page="\(MDXPage.escape(id))">
        \(body)
        </main>
        </body>
        </html>

        """
    }

    static let css = """
        body{margin:0;display:flex;font:15px/1.55 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1c1e21}\
        nav.sidebar{flex:0 0 260px;padding:16px;border-right:1px solid #dadde1;background:#f6f7f8;min-height:100vh;box-sizing:border-box}\
        nav ul{list-style:none;padding-left:12px;margin:4px 0}nav>ul{padding-left:0}nav a{color:#1c1e21;text-decoration:none}\
        nav a.current{font-weight:600;color:#2e8555}nav .category{font-weight:600;color:#606770}\
        main{flex:1;padding:24px 40px;max-width:1100px;overflow-x:auto}a{color:#2e8555}\
        table{border-collapse:collapse;margin:12px 0;font-size:14px}th,td{border:1px solid #dadde1;padding:6px 10px;vertical-align:top}\
        th{background:#f6f7f8;text-align:left}code{background:#f0f2f4;padding:1px 4px;border-radius:4px;font-size:90%}\
        pre{background:#1e2228;color:#e6e6e6;padding:12px;border-radius:6px;overflow-x:auto}pre code{background:none;padding:0}\
        .code-title{margin:12px 0 0;padding:4px 12px;background:#dadde1;border-radius:6px 6px 0 0;font-size:13px;font-weight:600}\
        .code-title+pre{margin-top:0;border-radius:0 0 6px 6px}\
        .admonition{border-left:5px solid #4cb3d4;background:#eef9fd;padding:8px 16px;border-radius:6px;margin:12px 0}\
        .admonition-title{font-weight:700;text-transform:uppercase;font-size:13px}
        """
}
