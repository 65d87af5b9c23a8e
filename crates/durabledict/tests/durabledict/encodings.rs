//! Encodings against the exact bytes Python durabledict 0.9.4 wrote (the shared vectors).
