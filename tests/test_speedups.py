"""The compiled speed-ups (src/lgcontent/_speedups.c) find exactly what the Python finds.

The Python is the reference (text.py for sentences, words and syllables; html_tokens.py
for the quick HTML token reader; document.py for SourceText; loaders/html.py's
_PageParser for the page builder): lgcontent runs on it wherever the module was not built.
These tests hold the two alike over every Unicode character, generated text and HTML,
every short word over the letters the syllable rules look at, the example pages and the
shared corpus; and check that whole reports are the same with the module turned off.
"""

from __future__ import annotations

import itertools
import json
import os
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import CORPUS, EXAMPLES, FIXTURES, needs_corpus, run_process
from lgcontent import document, speedups, text
from lgcontent.loaders import html as html_loader
from lgcontent.loaders import html_tokens, load_file

compiled = speedups.load()

needs_compiled = pytest.mark.skipif(
    compiled is None and not os.environ.get("LGCONTENT_REQUIRE_SPEEDUPS"),
    reason="the compiled speed-ups are not built here (no C compiler when lgcontent was installed,"
    " or LGCONTENT_PURE_PYTHON is set); lgcontent runs as plain Python",
)

pytestmark = needs_compiled

# Characters the sentence and word rules treat specially, with letters and digits of
# several scripts (one outside the Basic Multilingual Plane), spaces of several kinds,
# and the underscore, which is a word character to regexes but not a letter.
TRICKY = ("aeiouyAEIOUY tlsdcgnhmxzTS 0123456789 .!?…\"'”’)]([-&_,;:/\n\t\u00a0\u2028\u3000 "
          "éßİıΣσςДЖ日本𝐀٣²½")


def compiled_module():
    assert compiled is not None, "LGCONTENT_REQUIRE_SPEEDUPS is set, but the compiled speed-ups were not built"
    return compiled


def assert_alike(block: str) -> None:
    found = compiled_module().split_sentences(block)
    assert found == text._split_sentences(block), repr(block)
    assert compiled_module().sentence_totals(found) == text._sentence_totals(found), repr(block)


def test_the_checks_use_the_compiled_module_when_it_is_built() -> None:
    assert text.COMPILED and text.sentences.__wrapped__ is compiled_module().split_sentences


@pytest.mark.parametrize("block", [
    "", " ", "\n", "Hello.", "Hello. World", "Mr. Smith went to Washington. He did not come back!",
    "It costs £5.50 (approx. three pounds). Call us on 0300 123 4567.", "e.g. this, i.e. that.",
    "Say “hello.” Then go… Then stop?! End", "J. R. R. Tolkien wrote books.", "a..b c. d",
    "don’t stop-believing & rock'n'roll. U.K. B&Q", "Line one\nLine two\n\nLine three",
    "ends with a stop.", "   padded sentence.   ", "snake_case_words and CamelCase.",
    "Ünïcödé wörds. Straße. İstanbul. ΣΊΣΥΦΟΣ.", "12,000 people (3.5%) said 1st, 2nd.",
    "Hello. world. About. this. Four. more. Five five. lower", "(e.g. this) \"Dr. who\" 'st. ives'",
    "A. b. c.d.e. f. a.b. ab.cd. x.y.z. end", "café. next. naïve. Résumé. ok. fin", "etc. and Etc. And",
    "word.\u00e9lan here. Ünder. über", "no.\nline. \tTab. \u00a0space. Done",
])
def test_sentences_are_split_alike(block: str) -> None:
    assert_alike(block)


def test_every_character_is_read_as_python_reads_it() -> None:
    """Each code point (surrogates too) between letters and after full stops: whether it
    is a letter or digit, white space or punctuation, both sides must agree."""
    for low in range(0, 0x110000, 2048):
        characters = [chr(c) for c in range(low, min(low + 2048, 0x110000))]
        assert_alike(" ".join(f"a{c}b" for c in characters))
        assert_alike("".join(f"x.{c}Y {c}" for c in characters))


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=TRICKY, max_size=120))
def test_generated_text_is_split_alike(block: str) -> None:
    assert_alike(block)


def test_every_short_word_has_the_same_syllables() -> None:
    """All words of up to four letters over the letters the syllable rules name (and one
    they do not), then random longer ones with capitals, digits, joiners and accents."""
    module = compiled_module()
    letters = "aeiouytlsdcgnhmxzb"
    for length in range(1, 5):
        for letters_of_word in itertools.product(letters, repeat=length):
            word = "".join(letters_of_word)
            assert module.syllables(word) == text.syllables.__wrapped__(word), word
    chance = random.Random(9)
    alphabet = letters + "AEIOUYTSL0123456789'.-&’é"
    for _ in range(50_000):
        word = "".join(chance.choice(alphabet) for _ in range(chance.randint(1, 16)))
        assert module.syllables(word) == text.syllables.__wrapped__(word), word


def test_the_syllable_exceptions_are_the_python_ones() -> None:
    module = compiled_module()
    for word, count in text._SYLLABLE_EXCEPTIONS.items():
        for form in (word, word.upper(), word + "s", f"'{word}.'"):
            assert module.syllables(form) == text.syllables.__wrapped__(form), form
        assert module.syllables(word) == count


def test_the_compiled_module_refuses_what_is_not_text() -> None:
    module = compiled_module()
    with pytest.raises(TypeError):
        module.split_sentences(b"bytes.")
    with pytest.raises(TypeError):
        module.sentence_totals([("not", "a", "tuple", 1, 2)])
    with pytest.raises(TypeError):
        module.sentence_totals((("too", "short"),))
    with pytest.raises(TypeError):
        module.syllables(3)


class _Recorder(html_tokens.TokenReader):
    """A token reader that notes each handler call and what the parser held at the time."""

    def __init__(self) -> None:
        super().__init__(7)  # a page that starts at offset 7 (HTML inside Markdown)
        self.calls: list[tuple] = []

    def _note(self, *call) -> None:
        self.calls.append((*call, self.token_start, self.lasttag, self.get_starttag_text()))

    def handle_starttag(self, tag, attrs) -> None:
        self._note("start", tag, attrs)

    def handle_startendtag(self, tag, attrs) -> None:
        self._note("startend", tag, attrs)

    def handle_endtag(self, tag) -> None:
        self._note("end", tag)

    def handle_data(self, data) -> None:
        self._note("data", data)

    def handle_charref(self, name) -> None:
        self._note("charref", name)

    def handle_entityref(self, name) -> None:
        self._note("entityref", name)

    def handle_comment(self, data) -> None:
        self._note("comment", data)

    def handle_decl(self, decl) -> None:
        self._note("decl", decl)


def _read(source: str) -> tuple:
    reader = _Recorder()
    reader.feed(source)
    state = (reader.rawdata, reader._base, reader._quick, reader.token_start)
    reader.close()
    return reader.calls, state


def assert_read_alike(source: str, monkeypatch) -> None:
    """The same handler calls, the same parser state after them, and the quick reading
    stopped at the same token (where HTMLParser takes over)."""
    module = compiled_module()
    with_c = _read(source)
    with monkeypatch.context() as patch:
        patch.setattr(html_tokens, "_compiled", None)
        with_regex = _read(source)
    assert with_c == with_regex, source
    assert module.read_plain_tokens(_Recorder(), source, 0) == _Recorder()._read_with_regex(source, 0), source


@pytest.mark.parametrize("source", [
    "", "plain text", "<p>Hi</p>", "<P CLASS=x ID='y' hidden data-a=\"1&amp;2\">x</P>", "<a b=c/>", "<a b=c/d>",
    "<a b = >", "<a b=\"x\"y>", "<br/><br /><img src=x alt=''>", "&amp;&#163;&#x2019;&#X2f;&#x;&#12a;&nbsp",
    "& &", "&", "a&", "<!-- note --><!----><!---><!-->< !--><!-- a -- b --><!---a-->", "<!DOCTYPE html><!doctypex>",
    "<!doctype", "<script>if (a < b) {}</script><p>after", "<script>x</SCRIPT>y", "<style>p{}</style>",
    "<title>Pay &amp; park</title>", "<textarea>a&b</textarea>", "<script/>", "<script/>a</script>",
    "<title></title>",
    "</div x>", "</ div>", "<div\u00a0class=x>", "<my-widget data-x=1>", "<a\thref=x\nclass=y\f>",
    "<x y=ab:c/d#e?f&g;h%i=j+k,l>", "<a b='<'>", "<?php ?>", "<![CDATA[x]]>", "text<", "<\x00>", "&\x00",
])
def test_html_tokens_are_read_alike(source: str, monkeypatch) -> None:
    assert_read_alike(source, monkeypatch)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(source=st.text(alphabet="<>&#;!-/=\"' \n\t\f\rabpxyXAdoctypeDOCTYPE0123:_.@?%+,é’\x00", max_size=60))
def test_generated_html_is_read_alike(source: str, monkeypatch) -> None:
    assert_read_alike(source, monkeypatch)


def test_example_and_fixture_pages_are_read_alike(monkeypatch) -> None:
    pages = sorted([*EXAMPLES.glob("*.html"), *FIXTURES.rglob("*.html")])
    assert len(pages) >= 4
    for page in pages:
        assert_read_alike(page.read_text(encoding="utf-8", errors="replace"), monkeypatch)


@needs_corpus()
def test_every_corpus_page_is_read_alike(monkeypatch) -> None:
    pages = sorted(p for p in CORPUS.rglob("*") if p.suffix in (".html", ".htm"))
    assert len(pages) > 100
    for page in pages:
        assert_read_alike(page.read_text(encoding="utf-8", errors="replace"), monkeypatch)


# -- the page builder ------------------------------------------------------------------------

def _built(parser_class, source: str, begin: int = 0, selected: frozenset[int] = frozenset()) -> tuple:
    """Everything a page builder found in ``source[begin:]``, in a form that compares:
    each block with its text's source offsets, and each item with its region."""
    lines = document.LineIndex(source)
    parser = parser_class(source, lines, begin, selected)
    parser.feed(source[begin:])
    parts = parser.finish()
    blocks = [(b.kind, b.text, b.heading_level, b.list_ordered, b.list_item, list(b.content.starts),
               list(b.content.ends), region) for b, region in parts.blocks]
    lists = [(info.ordered, info.start, info.items, region) for info, region in parts.lists]
    return (blocks, lists, parts.marks, parts.headings, parts.links, parts.images, parts.suppressions,
            parts.title, parts.description, parts.lang, parts.has_html_element, parts.has_main, parts.has_selected)


def _outcome(parser_class, *args) -> tuple:
    try:
        return "built", _built(parser_class, *args)
    except Exception as error:  # noqa: BLE001 (both must fail alike, on the same input)
        return "raised", type(error).__name__


def assert_built_alike(source: str, begin: int = 0, selected: frozenset[int] = frozenset()) -> None:
    assert compiled_module() is not None and html_loader.PageParser is html_loader._CompiledPageParser
    with_c = _outcome(html_loader.PageParser, source, begin, selected)
    assert with_c == _outcome(html_loader._PageParser, source, begin, selected), source


@pytest.mark.parametrize("source", [
    "", "plain text", "<p>One<p>Two</p>three", "<ul><li>a<li>b<ol><li>c</ol><li>d</ul>", "<li>no list</li>",
    "<dl><dt>Term<dd>Meaning<dt>Next</dl>", "<table><tr><td>a<td>b<tr><th>c</table>after",
    "<table><thead><tr><td>x<tbody><tr><td>y<tfoot><tr><td>z</table>", "<select><option>a<option>b</select>",
    "<h2>Pay <span>your</span> tax</h2>", "<h1>a<h3>b</h3>c</h1>", "<h2><h7>deep</h7></h2>", "<h2><h12>x</h12></h2>",
    "<p>A <a href='/x'>link <b>bold</b></a> and <a href=y aria-hidden=true>hidden</a>"
    " <a href=z role=button>button</a> <a href=w aria-expanded=false>more</a> <a>no href</a></p>",
    "<p><a href=/a>one<a href=/b>two</a></p>", "<h2><a href=/h aria-label=' Go '>Heading link</a></h2>",
    "<ul><li><a href=/l>In a list</a></ul>", "<a href=/i><img src=p.png alt='A picture'></a>",
    "<a href=/j><img src=q.png></a><img alt=x role=presentation><img aria-label=y>",
    "<p>" + "<b>" * 12 + "deep" + "</b>" * 12 + "</p>", "<p><i>one</i> <em>two <u>three</u></em></p>",
    "<html lang='en-GB'><head><title> Pay  &amp; park </title><meta name=description content='Pay here'>"
    "<meta name=Description content=second></head><body><p>x</body></html>",
    "<title>a</title><title>b</title>", "<svg><title>icon</title></svg><title>Real</title>", "<title>unclosed",
    "<main><p>in</p></main><p>out</p>", "<div role=MAIN><p>in</p></div><p>out</p>",
    "<p hidden>gone</p><p>kept <span hidden>gone</span> here</p>", "<p>Use <code>ls</code> and <kbd>Ctrl</kbd></p>",
    "<p>x<script>var a</script>y<style>p{}</style>z</p>", "<p>Note<sup>1</sup> and H<sub>2</sub>O</p>",
    "<p>line<br>break</br>again<br/>end</p>", "<p>a<hr>b<input>c</p>", "<p>&amp; &pound; &#163; &#x2019; &bogus; &</p>",
    "<!-- lgcontent-disable-next-line plain.words --><p>x</p><!-- just a note -->",
    "<p>   </p><p>--</p><p>_</p><p>\u00a0x</p>", "<blockquote><p>Quoted</blockquote><figure><figcaption>Cap",
    "<section><p>a</section>b", "<button><p>inside</button>", "<template><p>t</template>", "<menu><li>m</menu>",
    "<pre>code\n  kept</pre><textarea>t&amp;</textarea>", "<P CLASS=x>Upper</P>", "<p>unclosed <b>mark",
    "<ul>" + "<li>x" * 300 + "</ul>", "<div>" * 400 + "deep" + "</div>" * 400, "<p>a</p></p></div></li>",
    "<math><title>m</title></math>", "<p>é 日本 𝐀</p>", "<h²>x</h²>", "<h2><h²>x</h²></h2>",
    "<h2>Title <li>item</li> <blockquote>quote</blockquote></h2>",
    # an implied close reaches back 256 elements at most
    "<ul><li><b>a" + "<span>" * 150 + "<li>b</ul>", "<ul><li><b>a" + "<span>" * 300 + "<li>b</ul>",
    "<p><b>bold<div>after</div>", "<td><p><b>cell<table><tr><td>inner</table>",
    "<table><tr><td><b>a<table><td>x</table>y</table>",
])
def test_pages_are_built_alike(source: str) -> None:
    assert_built_alike(source)


def test_html_inside_markdown_is_built_alike_at_its_offset() -> None:
    source = "# Title\n\n<p>Some <b>HTML</b> with <a href=x>a link</a></p>\n"
    begin = source.index("<p>")
    assert_built_alike(source, begin)


def test_content_selectors_are_built_alike() -> None:
    source = "<div id=a><p>one</p></div><div id=b><p>two<ul><li>x</ul></p></div><p>three</p>"
    starts = html_loader.selector_starts(source, "#b")
    assert starts
    assert_built_alike(source, 0, starts)
    assert_built_alike(source, 0, frozenset({source.index("<p>three")}))


_TAGS = ["p", "div", "ul", "ol", "li", "dl", "dt", "dd", "table", "tr", "td", "th", "tbody", "h1", "h2", "h7",
         "span", "a", "b", "strong", "em", "u", "img", "br", "hr", "input", "meta", "title", "svg", "script",
         "code", "kbd", "sup", "main", "section", "blockquote", "caption", "select", "option", "button", "html",
         "head", "menu", "pre", "textarea"]
_ATTRIBUTES = ["", " href=x", " hidden", " role=main", " role=button", " aria-hidden=true", " alt=pic", " alt=''",
               " name=description content='d'", " lang=en", " aria-label=Go", " aria-expanded", " href=y alt=z"]
_TOKEN = st.one_of(
    st.builds(lambda tag, attribute, closed: f"<{tag}{attribute}{'/' if closed else ''}>", st.sampled_from(_TAGS),
              st.sampled_from(_ATTRIBUTES), st.booleans()),
    st.builds(lambda tag: f"</{tag}>", st.sampled_from(_TAGS)),
    st.sampled_from(["Hello", " ", "world.", "\n", "  ", "&amp;", "&#163;", "-", "é", "x<", "<!-- lgcontent-disable -->"]),
)


@settings(max_examples=500, deadline=None)
@given(tokens=st.lists(_TOKEN, max_size=40), chosen=st.sets(st.integers(0, 39), max_size=3))
def test_generated_pages_are_built_alike(tokens: list[str], chosen: set[int]) -> None:
    source = "".join(tokens)
    starts = [n for n, char in enumerate(source) if char == "<"]
    selected = frozenset(starts[n] for n in chosen if n < len(starts))
    assert_built_alike(source, 0, selected)


def test_example_and_fixture_pages_are_built_alike() -> None:
    pages = sorted([*EXAMPLES.glob("*.html"), *FIXTURES.rglob("*.html")])
    assert len(pages) >= 4
    for page in pages:
        assert_built_alike(page.read_text(encoding="utf-8", errors="replace"))


@needs_corpus()
def test_every_corpus_page_is_built_alike() -> None:
    pages = sorted(p for p in CORPUS.rglob("*") if p.suffix in (".html", ".htm"))
    assert len(pages) > 100
    for page in pages:
        assert_built_alike(page.read_text(encoding="utf-8", errors="replace"))


def test_the_page_builder_refuses_what_is_not_text() -> None:
    parser = html_loader.PageParser("<p>x</p>", document.LineIndex("<p>x</p>"))
    with pytest.raises(TypeError):
        parser.handle_starttag(3, [])
    with pytest.raises(TypeError):
        parser.handle_starttag("p", [("a",)])
    with pytest.raises(TypeError):
        parser.handle_data(None)
    with pytest.raises(TypeError):
        compiled_module().configure_builder()
    unstarted = compiled_module().PageBuilder()
    for call in (lambda: unstarted.handle_data("x"), lambda: unstarted.handle_starttag("p", []),
                 lambda: unstarted.handle_endtag("p"), lambda: unstarted._text("x", 0), unstarted._flush,
                 unstarted._close_all):
        with pytest.raises(RuntimeError, match="_begin"):
            call()
    del parser.parts
    with pytest.raises(RuntimeError, match="parts"):
        parser.handle_starttag("main", [])


# -- SourceText ------------------------------------------------------------------------------

def _observe(source) -> tuple:
    """Everything a caller can read from a SourceText: text, length, truth, repr, each
    character's offsets, spans (some out of range), and what asking beyond it raises."""
    def attempt(call):
        try:
            return call()
        except IndexError:
            return "IndexError"

    n = len(source)
    probes = [-2, -1, 0, 1, n // 2, n - 1, n, n + 3]
    return (source.text, n, bool(source), repr(source), list(source.starts), list(source.ends),
            [attempt(lambda i=i: source.start_of(i)) for i in probes],
            [attempt(lambda i=i: source.end_of(i)) for i in probes],
            [source.span(b, f) for b in probes for f in probes], source.source_span())


_PIECE = st.text(alphabet=["a", "é", "Ж", "😀", " ", "\t", "\n", "\u00a0", "\u2028", "\u3000", "."], max_size=6)
_STEP = st.one_of(
    st.tuples(st.just("append"), _PIECE, st.integers(0, 60), st.one_of(st.none(), st.integers(0, 80))),
    st.tuples(st.just("normalised"), st.booleans()),
    st.tuples(st.just("clear")),
    st.tuples(st.just("observe")),
)


def _run_steps(kind, start_text, steps) -> list:
    source = kind(*start_text) if start_text else kind()
    seen = []
    for step in steps:
        if step[0] == "append":
            source.append(step[1], step[2], step[3])
        elif step[0] == "normalised":
            source = source.normalised(step[1]) if len(seen) % 2 else source.normalised(keep_newlines=step[1])
        elif step[0] == "clear":
            source.clear()
        seen.append(_observe(source))
    return seen


@settings(max_examples=600, deadline=None)
@given(start_text=st.one_of(st.just(()), st.tuples(_PIECE, st.integers(0, 20))), steps=st.lists(_STEP, max_size=12))
def test_source_text_behaves_alike(start_text, steps) -> None:
    compiled_module()
    assert document.SourceText is not document.PythonSourceText
    assert _run_steps(document.SourceText, start_text, steps) == _run_steps(document.PythonSourceText,
                                                                          start_text, steps)


def test_source_text_offsets_of_runs_and_references_alike() -> None:
    """A page's worth of runs: text one to one, with gaps, and references standing for
    several source characters, then normalised both ways and appended to again."""
    chance = random.Random(5)
    for _ in range(300):
        c_text, py_text = document.SourceText(), document.PythonSourceText()
        at = 0
        for _ in range(chance.randint(0, 30)):
            piece = "".join(chance.choice("ab  \t\n\u2028é") for _ in range(chance.randint(0, 5)))
            end = at + chance.randint(1, 6) if chance.random() < 0.3 else None
            for source in (c_text, py_text):
                source.append(piece, at, end)
            at = (end if end is not None else at + len(piece)) + chance.randint(0, 2)
        for keep in (True, False):
            c_tidy, py_tidy = c_text.normalised(keep), py_text.normalised(keep)
            assert _observe(c_tidy) == _observe(py_tidy)
            for source in (c_tidy, py_tidy):
                source.append("more", at + 10)
            assert _observe(c_tidy) == _observe(py_tidy)
        assert _observe(c_text) == _observe(py_text)


def test_source_text_refuses_what_python_refuses() -> None:
    compiled_module()
    for kind in (document.SourceText, document.PythonSourceText):
        with pytest.raises(IndexError):
            kind().start_of(0)
        with pytest.raises(TypeError):
            kind("x").normalised(keep_lines=True)


def _blocks_of(paths) -> list[str]:
    return [block.text for path in paths for block in load_file(str(path)).blocks]


def test_the_example_pages_are_split_alike() -> None:
    blocks = _blocks_of(p for p in EXAMPLES.iterdir() if p.suffix in (".html", ".md"))
    assert len(blocks) > 10
    for block in blocks:
        assert_alike(block)


@needs_corpus()
def test_every_block_of_the_corpus_is_split_alike() -> None:
    blocks = _blocks_of(p for p in sorted(CORPUS.rglob("*")) if p.suffix in (".html", ".md"))
    assert len(blocks) > 10_000
    for block in blocks:
        assert_alike(block)


def _report(path, pure: bool) -> dict:
    env = {speedups.PURE_PYTHON_VARIABLE: "1" if pure else ""}
    done = run_process("check", str(path), "--format", "json", "--jobs", "1", env=env, timeout=300)
    assert done.returncode in (0, 1), done.stderr
    return json.loads(done.stdout)


@pytest.mark.parametrize("where", [
    pytest.param(EXAMPLES, id="examples"),
    pytest.param(CORPUS, id="corpus", marks=needs_corpus()),
])
def test_reports_are_the_same_with_the_speed_ups_turned_off(where) -> None:
    with_them, without = _report(where, pure=False), _report(where, pure=True)
    assert with_them["findings"] and with_them == without
