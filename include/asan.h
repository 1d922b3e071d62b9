/*
 * asan.h — VXASAN is defined where AddressSanitizer instruments the build.
 * gcc says so with __SANITIZE_ADDRESS__, clang (14 at least) only through
 * __has_feature.  Not part of the library's API.
 */
#if defined(__SANITIZE_ADDRESS__)
#define VXASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define VXASAN 1
#endif
#endif
