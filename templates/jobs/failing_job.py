"""A Spark driver whose job fails. In YARN cluster mode Livy can still call its batch `success`."""
import sys

print("reading sales for 2026-11-20")
print("Job aborted due to stage failure: Task 3 in stage 1.0 failed 4 times", file=sys.stderr)
sys.exit(1)
