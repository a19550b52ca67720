.PHONY: run test bench bench-quick train-digits train-digits-heldout bench-heldout samples realdata-check
run:            ## extract data/samples into out/
	scripts/run-samples.sh
test:           ## the test suite
	scripts/test.sh
bench:          ## full benchmark -> bench/REPORT.md
	scripts/bench.sh
bench-quick:    ## 8-page benchmark -> bench/REPORT-quick.md
	scripts/bench.sh --quick
train-digits:   ## retrain the numeral recognizer (torch from requirements-train.txt; 43 font families, fetched by bootstrap.sh --train)
	scripts/bootstrap.sh --train && .venv/bin/pip install -q -r requirements-train.txt && .venv/bin/python scripts/train_digits.py --extra-fonts --out extract/ocr/models/
train-digits-heldout:  ## the same recipe with Umpush and Sawasdee held out -> build/digits-heldout/ (accuracy on unseen fonts)
	scripts/bootstrap.sh --train && .venv/bin/pip install -q -r requirements-train.txt && .venv/bin/python scripts/train_digits.py --hold-out --extra-fonts --out build/digits-heldout/
bench-heldout:  ## the benchmark read by the held-out model -> build/bench-heldout/ (see its Umpush and Sawasdee strata)
	EXTRACT_DIGITS_MODEL_DIR=build/digits-heldout scripts/bench.sh --no-peer --no-baseline --report-dir build/bench-heldout
samples:        ## regenerate data/samples
	scripts/bootstrap.sh && .venv/bin/extract synth --samples --out data/samples
realdata-check: ## the pipeline on ../shared/realdata (real budget PDFs, a vote-log scan): figures, their totals, text-layer agreement
	.venv/bin/python scripts/realdata_check.py
