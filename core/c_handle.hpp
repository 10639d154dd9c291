// SPDX-License-Identifier: MIT
// Owning pointers for C library handles: one template instead of hand-written handle classes,
// so every wrapper in core/ is move-only and frees exactly once.
#pragma once

#include <memory>

namespace pbk::core {

template <auto FreeFn>
struct CFree {
  template <class T>
  void operator()(T* p) const noexcept {
    FreeFn(p);
  }
};

template <class T, auto FreeFn>
using UniqueHandle = std::unique_ptr<T, CFree<FreeFn>>;

} // namespace pbk::core
