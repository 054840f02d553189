"""My work (/kerja/): every office's landing page, what waits for it, most urgent first."""
