# Plain Python: DagRunner sends it after a generated preamble that binds `params`, so it also
# runs as-is elsewhere, e.g. `pyspark` with `params = {"table": "sales"}` defined first.
table = params["table"]
summary = spark.table(table).groupBy("region").count().orderBy("region")
for row in summary.collect():
    print(f"{row['region']}: {row['count']}")
