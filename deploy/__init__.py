"""Deployment helpers: the CloudFormation template's companions and the edge image handler."""
