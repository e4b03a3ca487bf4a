"""The chat evaluation: a fixed store, questions with the ids and facts a right answer needs."""
