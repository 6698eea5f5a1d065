'use strict'
// The addon node-gyp built on install (see binding.gyp); callers treat a failed load as "no native path".
module.exports = require('./build/Release/faultline_native.node')
