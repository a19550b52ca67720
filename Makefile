.PHONY: run test bench bench-quick train-digits samples
run:            ## extract data/samples into out/
	scripts/run-samples.sh
test:           ## the test suite
	scripts/test.sh
bench:          ## full benchmark -> bench/REPORT.md
	scripts/bench.sh
bench-quick:    ## 8-page benchmark -> bench/REPORT-quick.md
	scripts/bench.sh --quick
train-digits:   ## retrain the numeral recognizer (needs torch: requirements-train.txt)
	scripts/bootstrap.sh && .venv/bin/pip install -q -r requirements-train.txt && .venv/bin/python scripts/train_digits.py --out extract/ocr/models/
samples:        ## regenerate data/samples
	scripts/bootstrap.sh && .venv/bin/extract synth --samples --out data/samples
