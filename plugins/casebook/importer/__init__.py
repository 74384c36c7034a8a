"""``casebook import``: legacy reports (.txt, .md, .docx) to entry Markdown.

The pipeline, one module per step:

    decode / wordfile  the file to blocks of text (encodings, Word styles and numbering)
    cleanup            scrape artefacts and mixed punctuation out, every change counted
    structure          Chinese heading levels and 一是/二是 runs to Markdown
    metadata           title, unit, date, type, themes guessed, each with its reason
    writer             front matter with 待核对 comments, file name, no overwriting
    pipeline           the steps in order for one file
    command            the CLI: many files, progress, summary
"""
