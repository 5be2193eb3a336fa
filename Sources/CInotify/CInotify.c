// Everything lives in include/CInotify.h as static inline functions.
