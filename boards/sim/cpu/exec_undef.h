/*
 * Every name exec_ops.h's handlers use, undefined: exec_block.h includes
 * this before it defines its own and after it is done with them.  Not a
 * standalone header.
 */
#undef OP
#undef END_OP
#undef END_BRANCH
#undef BRANCH_GUARD
#undef BRANCH
#undef RS
#undef RT
#undef RD
#undef CUR_PC
#undef STLB_OF
#undef STLB_KEY
#undef SLOW_BEGIN
#undef SLOW_END
#undef SLOW_RESUME
#undef TRACE_AT
#undef TRACE_DONE
