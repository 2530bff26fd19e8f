"""The site's own output formats per language, read by Django (FORMAT_MODULE_PATH) before its
built-in ones."""
