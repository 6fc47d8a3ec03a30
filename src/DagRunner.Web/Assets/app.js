// The base script of every page. Page areas add their own files (loaded deferred, in name order).
"use strict";
