"""Rules for Lambda functions and their permissions (`lambda` is a keyword, hence `lambda_`)."""
