# The KVM selftests library (tools/testing/selftests/kvm/lib of a kernel
# tree) as a CMake dependency, and gmem-kst built against it.
#
# scripts/kst-build.sh builds the library with the selftests' own make, out
# of tree and cached, from Debian's linux-source-6.12 (or GB_KERNEL_TREE)
# with kernel-patches/6.12/selftests/ applied.  Linux 6.12 has no libkvm.a
# and no target for the library alone: the script archives the objects the
# selftests link.  KvmSelftests::kvm carries the archive, the include
# directories in the selftests' order and the flags their code needs.
#
# gmem-kst is guest_memfd_perf_test (the selftest patch's program) compiled
# here against KvmSelftests::kvm: the same create+close loop, measured by
# the kernel's own test library instead of gmem-bench's harness.  It is a
# program of its own, not a gmem-bench backend, because the library cannot
# be contained in gmem-bench: its constructor runs before main() in any
# program that links it, and exits (status 4) where /dev/kvm or KVM's
# module parameters are missing; its TEST_ASSERT exits the process.
#
# Without a kernel source (Debian's linux-source-6.12 not installed, no
# GB_KERNEL_TREE) the library and gmem-kst are skipped, saying why, and the
# rest of the build goes on.

set(GB_KERNEL_TREE "" CACHE PATH
    "Kernel source tree for the KVM selftests library (default: Debian's linux-source-6.12)")
set(GB_DEBIAN_KERNEL_SOURCE /usr/src/linux-source-6.12.tar.xz CACHE FILEPATH
    "Where Debian's linux-source-6.12 package puts the source (only its presence is checked)")

set(GB_KVM_SELFTESTS OFF)
if(GB_FUZZ OR GB_SANITIZE OR GB_STATIC)
  # Instrumented or initramfs builds: the guests get the selftest that
  # scripts/kst-build.sh builds, not gmem-kst.
  return()
endif()
if(GB_KERNEL_TREE)
  if(NOT EXISTS ${GB_KERNEL_TREE}/tools/testing/selftests/kvm/lib/kvm_util.c)
    message(FATAL_ERROR "GB_KERNEL_TREE=${GB_KERNEL_TREE} has no KVM selftests "
                        "(tools/testing/selftests/kvm/lib/kvm_util.c)")
  endif()
  set(kst_tree_args --tree ${GB_KERNEL_TREE})
elseif(EXISTS ${GB_DEBIAN_KERNEL_SOURCE})
  set(kst_tree_args)
else()
  message(STATUS "KVM selftests library: skipped, no kernel source "
                 "(${GB_DEBIAN_KERNEL_SOURCE} is missing: apt-get install linux-source-6.12, "
                 "or -DGB_KERNEL_TREE=PATH); gmem-kst is not built")
  return()
endif()
set(GB_KVM_SELFTESTS ON)

set(kst_dir ${CMAKE_BINARY_DIR}/kst)
set(kst_lib ${kst_dir}/libkvm.a)
set(kst_source ${kst_dir}/src/guest_memfd_perf_test.c)
file(GLOB kst_patches ${CMAKE_SOURCE_DIR}/kernel-patches/6.12/selftests/*.patch)
add_custom_command(
  OUTPUT ${kst_lib} ${kst_source} ${kst_dir}/guest_memfd_perf_test
  COMMAND ${CMAKE_SOURCE_DIR}/scripts/kst-build.sh ${kst_tree_args} --out ${kst_dir}
  DEPENDS ${CMAKE_SOURCE_DIR}/scripts/kst-build.sh ${kst_patches}
  COMMENT "Building the KVM selftests library and guest_memfd_perf_test"
  VERBATIM)
add_custom_target(kvm-selftests ALL DEPENDS ${kst_lib} ${kst_source})

# An INTERFACE target rather than an IMPORTED one: CMake refuses an
# imported target whose include directories do not exist yet, and the tree
# is only prepared at build time.  The directories go through the
# kst/tree link (kst-build.sh), known before the tree is.
set(kst_tree ${kst_dir}/tree)
set(kst_kvm ${kst_tree}/tools/testing/selftests/kvm)
add_library(kvm-selftests-lib INTERFACE)
add_dependencies(kvm-selftests-lib kvm-selftests)
# SYSTEM: the library's headers are the kernel's style, not built with our
# warnings.  The order is the selftests' Makefile's.
target_include_directories(kvm-selftests-lib SYSTEM INTERFACE
  ${kst_tree}/tools/include
  ${kst_tree}/tools/arch/x86/include
  ${kst_tree}/usr/include
  ${kst_kvm}/include
  ${kst_kvm}/include/x86_64
  ${kst_tree}/tools/testing/selftests/rseq
  ${kst_tree}/tools/testing/selftests)
# The selftests' CFLAGS that change code: no PIE (svm.o has absolute
# relocations), a 64-bit tools/include, fortification off as theirs is.
target_compile_options(kvm-selftests-lib INTERFACE -fno-PIE -DCONFIG_64BIT -U_FORTIFY_SOURCE
  -fno-stack-protector -fno-strict-aliasing)
target_link_options(kvm-selftests-lib INTERFACE -no-pie)
target_link_libraries(kvm-selftests-lib INTERFACE ${kst_lib} Threads::Threads dl)
add_library(KvmSelftests::kvm ALIAS kvm-selftests-lib)

set_source_files_properties(${kst_source} PROPERTIES GENERATED TRUE)
add_executable(gmem-kst ${kst_source})
# The kernel's code, in the kernel's style: our warning set is not its own.
target_compile_options(gmem-kst PRIVATE -w)
target_link_libraries(gmem-kst PRIVATE KvmSelftests::kvm)
