"""Chat about integration health: questions answered with read-only tools, with citations.

answer(question, engine=..., llm=None) -> Answer
 ├── intents.classify        rules, then a scikit-learn model, over a fixed tool set
 ├── tools.*                 read-only lookups over the store, each citing ids
 ├── requests.propose_change a request to change something becomes a proposal
 └── (with a model)          the model chooses among the same read-only tools;
                             its answer is kept only if every id and number checks out
"""
