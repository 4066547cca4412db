"""Pages, navigation, the mkdocs plugin and the engine adapters."""
