TRAIL = "aws:cloudtrail/trail:Trail"
COMPLIANT = {
    "s3BucketName": "audit",
    "isMultiRegionTrail": True,
    "includeGlobalServiceEvents": True,
    "enableLogFileValidation": True,
    "kmsKeyId": "arn:aws:kms:us-east-1:123456789012:key/k",
    "cloudWatchLogsGroupArn": "arn:aws:logs:us-east-1:123456789012:log-group:trail:*",
    "cloudWatchLogsRoleArn": "arn:aws:iam::123456789012:role/trail",
}
