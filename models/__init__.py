# Installed as the package `extractor.models`: the trained model files ship with the code.
