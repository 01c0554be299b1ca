import Mustache

/// The book's page templates (Mustache) and its style sheet. Every template writes XHTML, so
/// each page parses as XML; `{{x}}` is escaped, `{{{x}}}` is HTML the book made itself.
enum Templates {
    /// The frame of every page: the navigation to every page (the source files folded away),
    /// previous and next, then the page's own content.
    static let layout = """
        <!DOCTYPE html>
        <html xmlns="http://www.w3.org/1999/xhtml" lang="en">
        <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title>{{title}} — {{bookTitle}}</title>
        <link rel="stylesheet" href="{{stylesheet}}"/>
        <link rel="icon" type="image/svg+xml" href="{{icon}}"/>
        </head>
        <body>
        <nav class="sidebar" aria-label="Contents">
        <p class="book-title"><a href="{{home}}">{{bookTitle}}</a></p>
        {{#sections}}
        {{#folded}}<details{{#open}} open="open"{{/open}}><summary>{{title}}</summary>{{/folded}}
        {{^folded}}<p class="section-title">{{title}}</p>{{/folded}}
        <ul>
        {{#links}}
        <li{{#current}} class="current"{{/current}}><a href="{{href}}">{{title}}</a></li>
        {{/links}}
        </ul>
        {{#folded}}</details>{{/folded}}
        {{/sections}}
        </nav>
        <div class="page">
        {{> pager}}
        <main>
        {{{body}}}
        </main>
        {{> pager}}
        </div>
        </body>
        </html>

        """

    /// Previous and next page (each list holds at most one link).
    static let pager = """
        <nav class="pager" aria-label="Previous and next">
        <span class="previous">{{#previous}}<a href="{{href}}" rel="prev">← {{title}}</a>{{/previous}}</span>
        <span class="next">{{#next}}<a href="{{href}}" rel="next">{{title}} →</a>{{/next}}</span>
        </nav>

        """

    /// The front page: the introduction, then every page by section.
    static let index = """
        <h1>{{bookTitle}}</h1>
        {{{introduction}}}
        <h2 id="contents">Contents</h2>
        {{#sections}}
        <h3>{{title}}</h3>
        <ul class="toc">
        {{#links}}
        <li><a href="{{href}}">{{title}}</a></li>
        {{/links}}
        </ul>
        {{/sections}}

        """

    /// A chapter's figures: name, summary, thumbnail and the command that regenerates each.
    static let figures = """
        <h1>Figures: {{chapterTitle}}</h1>
        <p>Every figure of <a href="{{chapterHref}}">the chapter</a>, in the order the chapter's \
        executable <code>{{executable}}</code> makes them. After <code>make figures</code> (which builds \
        it in release mode), the command beside each figure redraws only that figure; without \
        <code>--figure</code> the executable redraws them all into <code>figures/{{name}}/</code>.</p>
        {{#figures}}
        <section class="figure-entry" id="figure-{{name}}">
        <a class="thumbnail" href="{{shownAt}}"><img src="{{src}}" alt="{{name}}"/></a>
        <div>
        <h2><a href="{{shownAt}}"><code>{{name}}</code></a></h2>
        <p>{{summary}}</p>
        <pre><code>{{command}}</code></pre>
        </div>
        </section>
        {{/figures}}

        """

    /// The list of source files.
    static let sourceIndex = """
        <h1>Source files</h1>
        <p>The Swift files the chapters name, each with numbered lines; a symbol the text names \
        links to the line that declares it.</p>
        <ul class="toc">
        {{#files}}
        <li><a href="{{href}}"><code>{{title}}</code></a></li>
        {{/files}}
        </ul>

        """

    /// The templates, parsed once.
    static let library = Result {
        var library = MustacheLibrary()
        for (name, text) in ["layout": layout, "pager": pager, "index": index, "figures": figures, "sourceIndex": sourceIndex] {
            try library.register(text, named: name)
        }
        return library
    }

    /// `object` rendered with the template `name`.
    static func render(_ name: String, _ object: Any) throws -> String {
        try library.get().render(object, withTemplate: name) ?? ""
    }

    /// The tab icon: a small hand-drawn SVG (without one, browsers ask for a favicon.ico).
    static let icon = """
        <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16">\
        <circle cx="8" cy="8" r="7" fill="#1f5fa8"/><path d="M4 8h8M8 4v8" stroke="#fff" stroke-width="2"/></svg>

        """

    /// The style sheet: a readable column beside the navigation, figures within it, system fonts.
    static let stylesheet = """
        :root { --ink: #1d1d1f; --muted: #5b5b66; --rule: #d8d8de; --tint: #f4f4f7; --link: #1f5fa8; }
        * { box-sizing: border-box; }
        html { font-size: 17px; }
        body { margin: 0; color: var(--ink); background: #fff; line-height: 1.55;
          font-family: "DejaVu Serif", Georgia, "Times New Roman", serif; }
        a { color: var(--link); text-decoration: none; }
        a:hover { text-decoration: underline; }
        code, pre { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 0.82em; }
        code { background: var(--tint); padding: 0.05em 0.25em; border-radius: 3px; }
        a.code code { color: var(--link); }
        pre { background: var(--tint); padding: 0.7em 0.9em; overflow-x: auto; line-height: 1.4; }
        pre code { background: none; padding: 0; font-size: 1em; }

        .sidebar { position: fixed; top: 0; bottom: 0; left: 0; width: 17rem; overflow-y: auto;
          padding: 1rem 0.9rem 2rem; border-right: 1px solid var(--rule); background: #fafafc;
          font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; font-size: 0.8rem; line-height: 1.35; }
        .sidebar .book-title { font-weight: bold; font-size: 0.95rem; margin: 0 0 0.8rem; }
        .sidebar .section-title, .sidebar summary { margin: 1rem 0 0.3rem; font-weight: bold; color: var(--muted);
          text-transform: uppercase; letter-spacing: 0.04em; font-size: 0.72rem; cursor: pointer; }
        .sidebar ul { list-style: none; margin: 0; padding: 0; }
        .sidebar li { margin: 0.15rem 0; }
        .sidebar li a { display: block; padding: 0.15rem 0.4rem; border-radius: 3px; color: var(--ink); }
        .sidebar li.current a { background: #e3ebf6; color: var(--link); font-weight: bold; }
        details li a { font-family: "DejaVu Sans Mono", monospace; font-size: 0.7rem; word-break: break-all; }

        .page { margin-left: 17rem; padding: 0 2rem 3rem; }
        main { max-width: 46rem; margin: 0 auto; }
        .pager { max-width: 46rem; margin: 0 auto; display: flex; justify-content: space-between; gap: 1rem;
          padding: 0.8rem 0; font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; font-size: 0.8rem; }
        .pager:first-child { border-bottom: 1px solid var(--rule); }
        .pager:last-child { border-top: 1px solid var(--rule); margin-top: 2rem; }
        .pager .next { text-align: right; margin-left: auto; }

        h1, h2, h3, h4 { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; line-height: 1.25; }
        h1 { font-size: 1.7rem; margin: 1.4rem 0 1rem; }
        h2 { font-size: 1.3rem; margin-top: 2.2rem; border-bottom: 1px solid var(--rule); padding-bottom: 0.2rem; }
        h3 { font-size: 1.1rem; margin-top: 1.6rem; }
        h4 { font-size: 1rem; }
        table { border-collapse: collapse; margin: 1rem 0; font-size: 0.85rem; display: block; overflow-x: auto; }
        th, td { border: 1px solid var(--rule); padding: 0.3rem 0.5rem; vertical-align: top; }
        th { background: var(--tint); text-align: left; }
        blockquote { margin: 1rem 0; padding: 0 1rem; border-left: 3px solid var(--rule); color: var(--muted); }

        figure { margin: 1.6rem 0; }
        figure img { display: block; max-width: 100%; height: auto; margin: 0 auto; }
        figcaption { font-size: 0.85rem; color: var(--muted); margin-top: 0.5rem; line-height: 1.45; }
        figcaption details, figcaption summary { display: inline; cursor: pointer; }
        figcaption details[open] summary { display: block; }
        .figure-name { font-weight: bold; color: var(--ink); }
        :target { scroll-margin-top: 1rem; }
        figure:target, .figure-entry:target { outline: 2px solid #e0c341; outline-offset: 6px; }

        .figure-entry { display: flex; gap: 1.2rem; align-items: flex-start; padding: 1rem 0;
          border-bottom: 1px solid var(--rule); }
        .figure-entry .thumbnail { flex: 0 0 14rem; }
        .figure-entry img { width: 14rem; height: auto; border: 1px solid var(--rule); }
        .figure-entry h2 { margin: 0 0 0.3rem; border: none; font-size: 1rem; }
        .figure-entry div { min-width: 0; flex: 1; }
        .figure-entry p { margin: 0 0 0.5rem; }

        .source-title code { background: none; font-size: 1.1rem; word-break: break-all; }
        .source-meta { color: var(--muted); font-size: 0.85rem; }
        .page:has(pre.source) main, .page:has(pre.source) .pager { max-width: 64rem; }
        pre.source { font-size: 0.75rem; line-height: 1.45; padding: 0.6rem 0; }
        pre.source .line { display: block; padding: 0 0.8rem 0 0; }
        pre.source .line:target { background: #fff1b8; }
        pre.source .ln { display: inline-block; color: #9a9aa5; padding: 0 0.8rem 0 0.6rem; user-select: none; }
        pre.source .comment { color: #3f7a4c; }

        @media (max-width: 60rem) {
          .sidebar { position: static; width: auto; border-right: none; border-bottom: 1px solid var(--rule); max-height: none; }
          .page { margin-left: 0; padding: 0 1rem 2rem; }
          .figure-entry { flex-direction: column; }
        }

        """
}
