"""What the browser's HTML editor does to a template body, and what an attacker
types into one, for the tests."""

import re
from html.parser import HTMLParser

import html5lib
from lxml import html as lxml_html

VOID_ELEMENTS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


def browser_round_trip(body, edit=None):
    """``body`` as the browser's editor reads it (HTML5 tree building, as in a
    contenteditable <div>: a self-closing non-void tag is opened and never
    closed), optionally edited, and serialized back as the editor saves it."""
    document = html5lib.parse(f"<!DOCTYPE html><html><body><div>{body}</div></body></html>",
                              treebuilder="lxml", namespaceHTMLElements=False)
    root = document.getroot().find("body/div")
    if edit:
        edit(root)
    return (root.text or "") + "".join(lxml_html.tostring(child, encoding="unicode") for child in root)


def printed_text(html):
    return re.sub(r"\s+", " ", lxml_html.fromstring(html).text_content()).strip()


def replace_text(old, new):
    """An edit of the static text, as staff type it in the editor."""
    def edit(root):
        for element in root.iter():
            for attribute in ("text", "tail"):
                value = getattr(element, attribute)
                if value and old in value:
                    setattr(element, attribute, value.replace(old, new))
    return edit


class SelfClosingTags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found = []

    def handle_startendtag(self, tag, attrs):
        if tag not in VOID_ELEMENTS:
            self.found.append(self.get_starttag_text())


def code_bodies(policy):
    """Bodies an attacker writes: one reads the database secret, one sets the base rate."""
    return {
        "secret": '<p>Leak: <t t-out="object.env[\'ir.config_parameter\'].get_param(\'database.secret\')"/></p>',
        "rate": f'<p>Rate: <t t-out="object.env[\'pi.financial.policy\'].browse({policy.id})'
                f'.write({{\'base_rate\': 42.0}})"/></p>',
    }
