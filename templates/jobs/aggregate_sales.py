"""Aggregate one day of sales. Runs with spark-submit, or plain python3 for a dry run."""
import argparse
import sys


def main(argv):
    parser = argparse.ArgumentParser()
    parser.add_argument("--date", required=True)
    parser.add_argument("--table", required=True)
    args = parser.parse_args(argv)
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        print(f"pyspark is not installed; would aggregate {args.table} for {args.date}")
        return 0
    spark = SparkSession.builder.appName(f"aggregate_sales {args.date}").getOrCreate()
    sales = spark.table(args.table).where(f"sale_date = '{args.date}'")
    print(f"{sales.count()} rows for {args.date}")
    spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
