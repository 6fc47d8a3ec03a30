# Plain Python: runs as is in any Python or pyspark shell.
regions = {"emea": 120, "apac": 80, "amer": 200}
for name, total in sorted(regions.items()):
    print(f"{name}: {total}")
