//! YAML text to a tree that remembers the line of every node, so schema errors can point at it.

use saphyr_parser::{Event, Parser, ScalarStyle, Span};
use std::collections::HashMap;

/// One node of the document.
#[derive(Debug, Clone)]
pub(crate) struct Node {
    pub(crate) kind: Kind,
    /// 1-based line where the node starts.
    pub(crate) line: usize,
}

#[derive(Debug, Clone)]
pub(crate) enum Kind {
    /// A scalar; `plain` is false for quoted and block scalars (they are always strings).
    Scalar {
        text: String,
        plain: bool,
    },
    Seq(Vec<Node>),
    /// Entries in document order; keys are unique (a duplicate replaces the earlier value, as in pyATS).
    Map(Vec<(String, Node)>),
}

impl Node {
    pub(crate) fn get(&self, key: &str) -> Option<&Node> {
        match &self.kind {
            Kind::Map(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    pub(crate) fn is_null(&self) -> bool {
        matches!(&self.kind, Kind::Scalar { text, plain: true } if matches!(text.as_str(), "" | "~" | "null" | "Null" | "NULL"))
    }
}

/// A parse failure: line and reason.
#[derive(Debug)]
pub(crate) struct ParseError {
    pub(crate) line: usize,
    pub(crate) reason: String,
}

/// Parses the first document of `text`; returns `None` for an empty document.
/// Duplicate keys are reported in `warnings` (pyATS prints a warning and keeps the last value).
pub(crate) fn parse(text: &str, warnings: &mut Vec<String>) -> Result<Option<Node>, ParseError> {
    let mut builder = Builder::default();
    for item in Parser::new_from_str(text) {
        let (event, span) = item.map_err(|e| ParseError {
            line: e.marker().line(),
            reason: format!("{} (column {})", e.info(), e.marker().col() + 1),
        })?;
        if builder.event(event, span, warnings)? {
            break;
        }
    }
    Ok(builder.root)
}

enum Frame {
    Seq {
        items: Vec<Node>,
        line: usize,
        anchor: usize,
    },
    Map {
        entries: Vec<(String, Node)>,
        key: Option<(String, usize)>,
        line: usize,
        anchor: usize,
    },
}

#[derive(Default)]
struct Builder {
    stack: Vec<Frame>,
    anchors: HashMap<usize, Node>,
    root: Option<Node>,
    documents: usize,
}

impl Builder {
    /// Returns true when the first document is complete.
    fn event(
        &mut self,
        event: Event<'_>,
        span: Span,
        warnings: &mut Vec<String>,
    ) -> Result<bool, ParseError> {
        let line = span.start.line();
        match event {
            Event::DocumentStart(_) => {
                self.documents += 1;
            }
            Event::DocumentEnd => return Ok(self.documents >= 1),
            Event::Scalar(text, style, anchor, _tag) => {
                let node = Node {
                    kind: Kind::Scalar {
                        text: text.into_owned(),
                        plain: style == ScalarStyle::Plain,
                    },
                    line,
                };
                self.remember(anchor, &node);
                self.complete(node, warnings)?;
            }
            Event::Alias(id) => {
                let node = self.anchors.get(&id).cloned().ok_or_else(|| ParseError {
                    line,
                    reason: "alias refers to an unknown anchor".into(),
                })?;
                self.complete(Node { line, ..node }, warnings)?;
            }
            Event::SequenceStart(anchor, _) => self.stack.push(Frame::Seq {
                items: Vec::new(),
                line,
                anchor,
            }),
            Event::MappingStart(anchor, _) => self.stack.push(Frame::Map {
                entries: Vec::new(),
                key: None,
                line,
                anchor,
            }),
            Event::SequenceEnd | Event::MappingEnd => {
                let (node, anchor) = match self.stack.pop() {
                    Some(Frame::Seq {
                        items,
                        line,
                        anchor,
                    }) => (
                        Node {
                            kind: Kind::Seq(items),
                            line,
                        },
                        anchor,
                    ),
                    Some(Frame::Map {
                        entries,
                        line,
                        anchor,
                        ..
                    }) => (
                        Node {
                            kind: Kind::Map(entries),
                            line,
                        },
                        anchor,
                    ),
                    None => {
                        return Err(ParseError {
                            line,
                            reason: "unbalanced collection end".into(),
                        });
                    }
                };
                self.remember(anchor, &node);
                self.complete(node, warnings)?;
            }
            Event::Nothing | Event::StreamStart | Event::StreamEnd => {}
        }
        Ok(false)
    }

    fn remember(&mut self, anchor: usize, node: &Node) {
        if anchor != 0 {
            self.anchors.insert(anchor, node.clone());
        }
    }

    fn complete(&mut self, node: Node, warnings: &mut Vec<String>) -> Result<(), ParseError> {
        match self.stack.last_mut() {
            None => {
                if self.root.is_none() {
                    self.root = Some(node);
                }
            }
            Some(Frame::Seq { items, .. }) => items.push(node),
            Some(Frame::Map { entries, key, .. }) => match key.take() {
                None => match node.kind {
                    Kind::Scalar { text, .. } => *key = Some((text, node.line)),
                    _ => {
                        return Err(ParseError {
                            line: node.line,
                            reason: "mapping keys must be scalars".into(),
                        });
                    }
                },
                Some((name, key_line)) => {
                    if let Some(slot) = entries.iter_mut().find(|(k, _)| *k == name) {
                        warnings.push(format!(
                            "duplicate '{name}' key found in YAML on line {key_line}"
                        ));
                        slot.1 = node;
                    } else {
                        entries.push((name, node));
                    }
                }
            },
        }
        Ok(())
    }
}
