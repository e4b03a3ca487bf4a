"""LangGraph graphs, one per agent job; each built by `build_<job>_graph(checkpointer)`."""
