"""The ground floor: AWS clients, DynamoDB table base, client IP, logs, outages. Imports no app."""
