# Plain Python: DagRunner sends it after a generated preamble that binds `params`, so it also
# runs as-is elsewhere, e.g. in the pyspark shell after `params = {"table": "sales"}`.
table = params["table"]
if "spark" in globals():
    summary = spark.table(table).groupBy("region").count().orderBy("region")
    for row in summary.collect():
        print(f"{row['region']}: {row['count']}")
else:
    # The embedded LocalLivy runs sessions on plain python3 when pyspark is not installed.
    print(f"No SparkSession in this session: would summarize {table} by region.")
