# SPDX-License-Identifier: MIT
# The fuzz targets: each tests/fuzz/<target>.cpp, with corpus/<target> and findings/<target>.
set(pbk_fuzz_targets tar_reader manifest_json create_table row_decoder sealed_member member_reference)
