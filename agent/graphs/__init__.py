"""One LangGraph graph per agent job, each built by `build_<job>_graph`."""
