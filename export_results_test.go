package cognitoimport

// FieldAt is fieldAt, for TestFieldAtSplitsAsTheService.
var FieldAt = fieldAt
