"""What signs: keys, the key ceremony, building the embedded bundle, publishing versions and
renewing the short-lived timestamp. Only the publisher process imports this package."""
