//! Live interop with Python durabledict on the real Redis.
