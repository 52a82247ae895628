// The admin feature is the top of the feature graph: no other feature uses it, so it offers no
// service API. Its routes (/admin-portal and /api/admin, for platform admins only) are in mount.ts.
export {};
