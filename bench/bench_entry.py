"""Writes the catalog sheet of the benchmarks' entry 1010010/90001: the ten items of the
generated records (examples/gen_records.rs). `--open` makes it unconditionally open
(general level 1), else it is not open (level 2, personal data).

    python3 bench/bench_entry.py OUT.csv [--open]
"""
import csv
import sys

HEADER = ["信息资源分类", "信息资源名称", "信息资源代码", "信息资源提供方", "信息资源提供方代码", "信息资源摘要", "信息资源格式",
          "信息项名称", "数据类型", "数据长度", "共享类型", "共享条件", "共享方式", "是否向社会开放", "开放条件", "更新周期",
          "发布日期", "关联资源代码", "安全级别", "重要程度", "是否关键标识"]
ITEMS = [("公民身份号码", "C", "18", "是"), ("姓名", "C", "50", "否"), ("统一社会信用代码", "C", "18", "否"),
         ("金额", "N", "12,2", "否"), ("登记日期", "D", "8", "否"), ("采集时间", "T", "14", "否"),
         ("采集地点", "C", "100", "否"), ("联系电话", "C", "20", "否"), ("行政区划代码", "C", "6", "否"),
         ("备注", "C", "200", "否")]


def main(out, open_):
    name = "网格采集记录（基准测试）" if open_ else "网格采集记录"
    flag, condition, level = ("是", "", "1") if open_ else ("否", "涉及个人信息", "2")
    with open(out, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(HEADER)
        for item, t, length, key in ITEMS:
            w.writerow(["基础/人口", name, "1010010/90001", "威海市公安局", "11371000754859022G", "基层网格采集的人员记录",
                        "数据库/mysql", item, t, length, "无条件共享", "", "接口", flag, condition, "每日", "2026-01-01", "",
                        level, "一般", key])


if __name__ == "__main__":
    main(sys.argv[1], "--open" in sys.argv[2:])
