"""Generate a complete Casebook project with N synthetic entries.

    python scripts/gen_corpus.py N OUTDIR [--seed S]

OUTDIR gets mkdocs.yml, docs/ and the vocabularies (cases/*.yml) copied
from this repository, and N entries across the three types, written the
way editors write them (Chinese keys sometimes, unit and theme aliases,
dates in the three forms). Bodies are realistic Chinese sentences built
from phrase pools, with the benchmark's query terms (八小时, 廉政党课,
妇联, 12345热线, 2023年, ...) mixed in at known rates, next to near misses
(廉政 … 党课 apart, 八个小时, 拨打12345) that a sloppy index would confuse.
Deterministic for a given seed. `mkdocs build` runs on the result.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]

OPENERS = ["近年来，", "今年以来，", "2023年以来，", "2021年以来，", "自2022年起，", "去年下半年，",
           "为深入贯彻落实全面从严治党要求，", "按照市委统一部署，", "针对群众反映强烈的突出问题，",
           "在上级纪委监委的指导下，", "结合本单位实际，", "围绕中心工作，", "聚焦主责主业，", "",
           "", "", "在清廉机关建设中，", "对照年初确定的目标任务，", "2019年至2024年间，"]
SUBJECTS = ["局党组", "机关党委", "各党支部", "派驻纪检监察组", "班子成员", "党员干部", "青年干部",
            "分管领导", "机关纪委", "办公室", "人事科", "财务科", "基层站所", "窗口单位", "各科室负责人",
            "党风廉政建设领导小组", "机关党支部书记", "全体干部职工", "审计科", "政策法规科", "后勤服务中心"]
VERBS = ["坚持", "推动", "深化", "探索", "建立", "健全", "完善", "落实", "开展", "组织", "实施", "强化",
         "压实", "聚焦", "统筹推进", "持续抓好", "扎实开展", "认真落实", "着力构建", "不断优化"]
OBJECTS = ["“清廉机关”创建", "廉政风险排查", "谈心谈话制度", "政治监督", "对“一把手”和领导班子的监督",
           "重点岗位轮岗交流", "财务报销审核", "公务接待管理", "公务用车管理", "干部选拔任用监督",
           "廉洁文化阵地建设", "警示教育月活动", "家庭助廉活动", "权力运行流程再造", "小微权力清单",
           "“三重一大”集体决策制度", "作风建设专项整治", "违规吃喝问题专项整治", "纪法知识测试",
           "任前廉政谈话", "节假日廉洁提醒", "政府采购内控管理", "项目资金全过程监管", "行政审批流程公开",
           "基层党组织标准化建设", "党风廉政建设责任清单", "述责述廉", "日常监督检查", "巡察整改“回头看”",
           "廉政档案动态管理", "年轻干部教育管理", "“四风”问题监督检查", "信访举报线索处置", "廉洁从业承诺"]
TAILS = ["，取得了明显成效。", "，形成了一批可复制可推广的经验。", "，干部职工反响良好。",
         "，推动全面从严治党向纵深发展。", "，营造了风清气正的政治生态。", "，全年共开展相关活动十余次。",
         "，覆盖党员干部三百余人次。", "，有效防范了廉政风险。", "，做到了制度管人、流程管事。",
         "，确保各项要求落到实处。", "，群众满意度明显提升。", "，相关经验被上级转发推广。",
         "。", "，建立问题清单和整改台账。", "，实现了监督全覆盖。"]
REFLECT = ["一是思想认识不到位，对廉洁风险的隐蔽性估计不足。", "二是制度执行打折扣，有章不循、执行不严。",
           "三是监督机制不健全，对关键环节缺乏有效制约。", "个别干部纪法意识淡薄，心存侥幸。",
           "下一步，我们将持续巩固成果，推动清廉机关建设常态化长效化。",
           "实践表明，只有把纪律和规矩挺在前面，才能筑牢拒腐防变的思想防线。",
           "要以案为鉴、以案促改，切实做到警钟长鸣。", "党员干部要守住底线、不越红线。",
           "工作中也存在一些短板，如部分制度落实不够到位，考核评价还不够精准。",
           "要坚持严的基调，把监督挺在前面，抓早抓小、防微杜渐。"]
# Query terms, each with the share of entries whose body carries it.
PLANTED = {
    "八小时": (0.25, ["加强对党员干部“八小时以外”的监督管理。", "把监督触角延伸到八小时以外的生活圈和社交圈。",
                   "要求干部八小时内外一个样，守住生活小节。", "健全八小时以外活动报告制度。"]),
    "廉政党课": (0.40, ["主要负责人带头讲廉政党课，结合身边案例讲纪律讲规矩。", "开展“廉政党课进支部”活动。",
                   "每季度组织一次廉政党课，由班子成员轮流主讲。", "把廉政党课纳入年度教育培训计划。"]),
    "妇联": (0.12, ["联合区妇联开展“清廉家庭”创建活动。", "会同妇联组织评选廉洁家庭和最美家庭。",
                  "邀请市妇女联合会的同志讲授家风建设专题课。"]),
    "12345热线": (0.08, ["对12345热线反映的问题建立台账、限时办结。", "将12345热线投诉情况纳入作风建设考核。"]),
    "家风": (0.25, ["组织干部家属签订家庭助廉承诺书，共树清廉家风。", "开展家风家教专题学习，传承好家风。"]),
    "警示教育": (0.35, ["组织观看警示教育片，召开警示教育大会。", "利用反面典型开展警示教育，以案释纪、以案说法。"]),
    "2023年": (0.20, ["2023年共开展专项检查六次，发现问题二十余个。", "截至2023年底，各项整改任务全部完成。"]),
}
# Near misses: share the grams of the terms above without containing them.
CONFOUNDERS = ["党员干部要常修为政之德。廉政教育和党课学习要结合起来。", "拨打12345反映问题的群众逐年减少。",
               "开通廉政举报热线电话。", "每周学习不少于八个小时，课后进行小结。", "党课由支部书记讲授，廉政提醒同步跟进。",
               "坚持政党建设与业务工作融合。", "2022年和2024年先后两次修订制度。", "联合会议纪要报送妇女工作委员会。",
               "家庭教育和良好风气密不可分。", "小时候的家教影响一生。", "热线受理的事项同步转办。"]
ASCII_BITS = ["OA系统", "APP", "PPT课件", "QQ群", "ERP平台", "5G网络", "GDP"]
PEOPLE = ["某局原副局长张某", "某科原科长王某", "某中心原主任李某", "某站原站长赵某", "某所原所长刘某",
          "某处原处长陈某", "某局工作人员杨某", "某校原校长黄某", "某公司原总经理周某", "某街道原主任吴某"]
CASE_ACTS = ["收受管理服务对象所送礼金{n}万元", "违规使用公务用车办理私事", "多次接受可能影响公正执行公务的宴请",
             "在项目审批中为亲属经营活动谋取利益", "违规发放津贴补贴{n}万元", "以开会名义变相公款旅游",
             "虚报冒领专项资金{n}万元", "在八小时以外频繁出入私人会所", "利用职务便利收受购物卡", "对群众诉求推诿扯皮、敷衍塞责"]
SECTIONS = {
    "practice": ["背景", "主要做法", "工作成效", "经验启示"],
    "case": ["基本案情", "处理结果", "案例剖析", "警示启示"],
    "report": ["基本情况", "主要工作", "存在问题", "下一步打算"],
}
REPORT_KINDS = ["工作汇报", "调研报告", "汇报发言", "述职报告", "其他"]
DONE = ["做法", "经验", "探索", "实践"]
DETAILS = ["在{w}社区设立廉洁文化角。", "打造“{w}”廉洁文化品牌。", "编印《{w}》廉政读本。", "{w}路服务站开展廉政提醒。",
           "评选“{w}”先进集体。", "推出“{w}清风”系列微视频。", "与{w}村结对共建清廉村居。"]


def common_chars() -> str:
    """GB2312 level-1 characters (3,755 common hanzi): names of places,
    brands and books made of them give the index the long tail of rare
    grams real text has."""
    chars = []
    for high in range(0xB0, 0xD8):
        for low in range(0xA1, 0xFF):
            try:
                chars.append(bytes([high, low]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return "".join(chars)


HANZI = common_chars()


def load_vocab(name: str) -> list[dict]:
    return yaml.safe_load((ROOT / "cases" / f"{name}.yml").read_text(encoding="utf-8"))


class Generator:
    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.units = load_vocab("units")
        self.themes = load_vocab("themes")
        self.violations = load_vocab("violations")
        self.outcomes = load_vocab("outcomes")

    def pick_name(self, item: dict, alias_rate: float = 0.15) -> str:
        aliases = item.get("aliases") or []
        if aliases and self.rng.random() < alias_rate:
            return self.rng.choice(aliases)
        return item["name"]

    def sentence(self) -> str:
        r = self.rng
        return r.choice(OPENERS) + r.choice(SUBJECTS) + r.choice(VERBS) + r.choice(OBJECTS) + r.choice(TAILS)

    def paragraph(self, extra: list[str]) -> str:
        r = self.rng
        parts = [self.sentence() for _ in range(r.randint(2, 5))]
        if r.random() < 0.3:
            parts.append(r.choice(REFLECT))
        if r.random() < 0.05:
            parts.append(f"依托{r.choice(ASCII_BITS)}实现线上留痕。")
        for _ in range(r.randint(0, 2)):
            word = "".join(r.choice(HANZI) for _ in range(r.randint(2, 4)))
            parts.insert(r.randint(0, len(parts)), r.choice(DETAILS).format(w=word))
        for item in extra:
            parts.insert(r.randint(0, len(parts)), item)
        return "".join(parts)

    def body(self, kind: str, unit_name: str, specific: list[str]) -> str:
        r = self.rng
        planted = [r.choice(sentences) for rate, sentences in PLANTED.values() if r.random() < rate]
        planted += [r.choice(CONFOUNDERS) for _ in range(r.randint(0, 3))]
        planted += specific
        sections = SECTIONS[kind]
        paragraphs_per_section = {"practice": (1, 3), "case": (1, 2), "report": (2, 4)}[kind]
        blocks: list[list[str]] = [[] for _ in sections]
        for item in planted:
            r.choice(blocks).append(item)
        out = []
        for title, extra in zip(sections, blocks):
            out.append(f"## {title}\n")
            count = r.randint(*paragraphs_per_section)
            for i in range(count):
                chunk = extra if i == count - 1 else []
                text = self.paragraph(chunk)
                if i == 0 and r.random() < 0.3:
                    text = unit_name + text
                out.append(text + "\n")
        return "\n".join(out)

    def entry(self, number: int) -> tuple[str, str, str]:
        r = self.rng
        kind = r.choices(["practice", "case", "report"], weights=[45, 35, 20])[0]
        unit = r.choice(self.units)
        unit_name = self.pick_name(unit)
        themes = r.sample(self.themes, r.randint(1, 3))
        year = r.randint(2016, 2025)
        month, day = r.randint(1, 12), r.randint(1, 28)
        date_form = r.random()
        date = (f"{year}-{month:02d}-{day:02d}" if date_form < 0.8 else
                f"{year}-{month:02d}" if date_form < 0.95 else str(year))
        theme_names = [self.pick_name(t) for t in themes]
        cn_keys = r.random() < 0.2
        key = (lambda en, zh: zh if cn_keys else en)
        fm: dict = {}
        specific: list[str] = []
        if kind == "practice":
            obj = r.choice(OBJECTS).strip("“”")
            title = f"{unit['name']}{r.choice(VERBS)}{obj}的{r.choice(DONE)}"
        elif kind == "case":
            person = r.choice(PEOPLE)
            act = r.choice(CASE_ACTS).format(n=round(r.uniform(0.5, 30), 1))
            title = f"{person}{act}问题"
            violations = r.sample(self.violations, r.randint(1, 2))
            outcomes = r.sample(self.outcomes, r.randint(1, 2))
            fm[key("violations", "违纪类型")] = [self.pick_name(v) for v in violations]
            fm[key("outcomes", "处理结果")] = [self.pick_name(o) for o in outcomes]
            fm[key("person", "当事人")] = person
            if r.random() < 0.6:
                fm[key("lessons", "警示启示")] = r.choice(REFLECT)
            specific = [f"{person}{act}。", f"经查，{person}还存在其他违纪问题，受到{outcomes[0]['name']}处理。"]
        else:
            title = f"{unit['name']}关于{themes[0]['name']}工作情况的{r.choice(['汇报', '报告', '发言'])}"
            fm[key("report_kind", "报告类型")] = r.choice(REPORT_KINDS)
        if r.random() < 0.05:
            title = f"{title}（{year}年）"
        head = {key("title", "标题"): title, key("unit", "单位"): unit_name, key("date", "日期"): date,
                key("themes", "主题"): theme_names}
        if r.random() < 0.5:
            head[key("tags", "标签")] = r.sample(["清廉家庭", "节日廉洁", "作风建设", "以案促改", "廉洁文化",
                                               "权力清单", "监督执纪", "基层减负", "青年干部"], r.randint(1, 3))
        if r.random() < 0.5:
            head[key("summary", "摘要")] = self.sentence()
        if r.random() < 0.3:
            head[key("source", "来源")] = f"{unit['name']}{year}年报送材料"
        head.update(fm)
        body = self.body(kind, unit_name, specific)
        folder = {"practice": "practices", "case": "warnings", "report": "reports"}[kind]
        slug = f"{date}-{kind[0]}-{number:05d}"
        front = yaml.safe_dump(head, allow_unicode=True, sort_keys=False, width=1000)
        return folder, slug, f"---\n{front}---\n\n{body}"


def generate(count: int, out: Path, seed: int = 20240501) -> Path:
    out = Path(out)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    shutil.copy(ROOT / "mkdocs.yml", out / "mkdocs.yml")
    shutil.copytree(ROOT / "docs", out / "docs")
    cases = out / "cases"
    cases.mkdir()
    for vocab in (ROOT / "cases").glob("*.yml"):
        if vocab.name != "compilations.yml":  # it names the sample entries, which are not copied
            shutil.copy(vocab, cases / vocab.name)
    for folder in ("practices", "warnings", "reports"):
        (cases / folder).mkdir()
    gen = Generator(seed)
    for number in range(1, count + 1):
        folder, slug, text = gen.entry(number)
        (cases / folder / f"{slug}.md").write_text(text, encoding="utf-8")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="生成含 N 个合成条目的完整 Casebook 项目")
    parser.add_argument("count", type=int)
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--seed", type=int, default=20240501)
    args = parser.parse_args(argv)
    generate(args.count, args.outdir, args.seed)
    print(f"已生成 {args.count} 个条目：{args.outdir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
