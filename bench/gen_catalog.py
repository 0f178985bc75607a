#!/usr/bin/env python3
"""Writes a synthetic catalog in the guide's template: N entries of 7 items each, all
from the demo's organizations. Usage: bench/gen_catalog.py N OUT.csv"""
import csv, random, sys

HEADER = ["信息资源分类", "信息资源名称", "信息资源代码", "信息资源提供方", "信息资源提供方代码", "信息资源摘要", "信息资源格式",
          "信息项名称", "数据类型", "数据长度", "共享类型", "共享条件", "共享方式", "是否向社会开放", "开放条件", "更新周期", "发布日期",
          "关联资源代码", "安全级别", "重要程度", "是否关键标识"]
ORGS = [("威海市公安局", "11371000754859022G"), ("威海市民政局", "11371000570916491X"), ("威海市交通运输局", "11371000143182040J"),
        ("威海市卫生健康委员会", "11371000179518941K"), ("威海市教育局", "113710002849493644"), ("威海市生态环境局", "1137100045362457XW")]
SUBJECTS = ["人口", "企业", "登记", "许可", "处罚", "公交", "医疗", "学校", "空气质量", "不动产", "社保", "车辆", "道路", "水质", "养老"]
ITEMS = ["名称", "编号", "地址", "日期", "类别", "状态", "数量", "金额", "联系电话", "备注"]
CYCLES = ["实时", "每日", "每周", "每月", "每季度", "每半年", "每年", "不定期"]

def main(n, out):
    rnd = random.Random(20261201)
    with open(out, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(HEADER)
        for i in range(n):
            org, code = ORGS[i % len(ORGS)]
            name = rnd.choice(SUBJECTS) + rnd.choice(SUBJECTS) + "信息" + str(i)
            rcode = f"{2000000 + (i // 90000):07d}/{i % 90000 + 10000:05d}"
            for j, item in enumerate(rnd.sample(ITEMS, 7)):
                w.writerow(["主题/综合", name, rcode, org, code, name + "的摘要", "数据库/mysql", item, "C", "50",
                            "无条件共享", "", "接口", "是", "", CYCLES[i % 8], "2025-01-01", "", "1", "一般", "是" if j == 0 else "否"])

if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2])
