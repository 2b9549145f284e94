package cognitoimporttest

// WithMaxUsers lowers the 500,000-user limit of a file, so that a test can
// reach it with a small file.
func WithMaxUsers(n int) Option { return func(s *Server) { s.lc.maxUsers = n } }
