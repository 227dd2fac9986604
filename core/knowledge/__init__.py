"""The Sensei's notes: a sake knowledge base as data, and the offline retrieval that answers from it.

- `base`: the entries (core/knowledge/data/*.json), loaded once and checked.
- `matching`: a question to the entries it names (aliases in English, Japanese and romaji, keywords, typos).
- `routing`: whether a chat message is a knowledge question, a brand lookup, or an unknown term.
- `answer`: the answer in two to four sentences, in the asker's language, with related entries.
- `specs`: a product's label figures (grade, polishing, SMV...) in words, linked to the entries explaining them.
"""
