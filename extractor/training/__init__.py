"""Fine-tuning of slovnet's news NER network (optional extra ``train``).

Modules, one job each:

* ``data``     annotated docs → razdel tokens, BIO tag ids (no torch)
* ``pack``     slovnet exec pack ↔ slovnet torch modules (torch)
* ``train``    the training loop and weight blending (torch)
* ``v2``       the v2 network (``--arch v2``): v1's plus word suffixes and a
               dilated fourth convolution; its extra pack members (torch)
* ``cli``      ``main(argv)``: the ``extractor train`` command; its ``--dev``
               scores go through the whole pipeline (``extractor.evaluate``)

Torch is imported only by ``pack``, ``train`` and ``v2``; the runtime never needs it.
"""
