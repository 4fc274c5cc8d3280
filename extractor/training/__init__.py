"""Fine-tuning of slovnet's news NER network (optional extra ``train``).

Modules, one job each:

* ``data``     annotated docs → razdel tokens, BIO tag ids (no torch)
* ``pack``     slovnet exec pack ↔ slovnet torch modules (torch)
* ``train``    the training loop and weight blending (torch)
* ``cli``      ``main(argv)``: the ``extractor train`` command; its ``--dev``
               scores go through the whole pipeline (``extractor.evaluate``)

Torch is imported only by ``pack`` and ``train``; the runtime never needs it.
"""
