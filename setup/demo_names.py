# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Reference data for the demo-data generator (setup/demo_gen.py).

Plain data only: Chinese surnames with their approximate share of the
population (per cent), given-name characters with pinyin, cities with
their districts and streets, company-name parts, the product catalogue
and the CRM reference lists (regions, stores, industries, sources,
segments, tags).  Demo data is Chinese on purpose: it shows the zh_CN
user interface with the kind of records a Chinese company holds.
"""


def _pairs(text):
    "Parse 'char:pinyin char:pinyin ...' into a list of (char, pinyin)"
    return [tuple(item.split(':')) for item in text.split()]


# (surname, pinyin, share in per cent) - the most common Chinese surnames
SURNAMES = [
    (s, p, float(w)) for s, p, w in (
        item.split(':') for item in '''
    王:wang:7.12 李:li:7.00 张:zhang:6.74 刘:liu:5.38 陈:chen:4.53
    杨:yang:3.08 黄:huang:2.45 赵:zhao:2.29 吴:wu:2.05 周:zhou:1.89
    徐:xu:1.58 孙:sun:1.54 马:ma:1.44 朱:zhu:1.32 胡:hu:1.31
    郭:guo:1.15 何:he:1.09 高:gao:1.07 林:lin:1.03 罗:luo:0.91
    郑:zheng:0.88 梁:liang:0.86 谢:xie:0.72 宋:song:0.64 唐:tang:0.63
    许:xu:0.61 韩:han:0.59 冯:feng:0.55 邓:deng:0.54 曹:cao:0.52
    彭:peng:0.51 曾:zeng:0.50 肖:xiao:0.49 田:tian:0.48 董:dong:0.47
    袁:yuan:0.43 潘:pan:0.42 于:yu:0.42 蒋:jiang:0.41 蔡:cai:0.41
    余:yu:0.40 杜:du:0.39 叶:ye:0.39 程:cheng:0.38 苏:su:0.36
    魏:wei:0.35 吕:lv:0.35 丁:ding:0.33 任:ren:0.32 沈:shen:0.31
    姚:yao:0.30 卢:lu:0.30 姜:jiang:0.29 崔:cui:0.29 钟:zhong:0.28
    谭:tan:0.27 陆:lu:0.27 汪:wang:0.26 范:fan:0.26 金:jin:0.25
    石:shi:0.25 廖:liao:0.24 贾:jia:0.24 夏:xia:0.23 韦:wei:0.23
    付:fu:0.22 方:fang:0.22 白:bai:0.21 邹:zou:0.21 孟:meng:0.20
    熊:xiong:0.20 秦:qin:0.20 邱:qiu:0.19 江:jiang:0.19 尹:yin:0.19
    薛:xue:0.18 闫:yan:0.18 段:duan:0.17 雷:lei:0.17 侯:hou:0.17
    龙:long:0.16 史:shi:0.16 陶:tao:0.15 黎:li:0.15 贺:he:0.15
    顾:gu:0.14 毛:mao:0.14 郝:hao:0.14 龚:gong:0.13 邵:shao:0.13
    万:wan:0.12 钱:qian:0.12 严:yan:0.12 覃:qin:0.11 武:wu:0.11
    戴:dai:0.11 莫:mo:0.10 孔:kong:0.10 向:xiang:0.10 汤:tang:0.10
    欧阳:ouyang:0.05 司马:sima:0.01 上官:shangguan:0.01 诸葛:zhuge:0.01
    '''.split())]

GIVEN_MALE = _pairs('''
    伟:wei 强:qiang 磊:lei 军:jun 洋:yang 勇:yong 杰:jie 涛:tao
    明:ming 超:chao 刚:gang 平:ping 辉:hui 鹏:peng 华:hua 飞:fei
    鑫:xin 波:bo 斌:bin 宇:yu 浩:hao 凯:kai 健:jian 俊:jun
    帆:fan 帅:shuai 旭:xu 宁:ning 龙:long 林:lin 峰:feng 建:jian
    国:guo 志:zhi 文:wen 博:bo 晨:chen 轩:xuan 然:ran 泽:ze
    子:zi 睿:rui 航:hang 成:cheng 海:hai 东:dong 亮:liang 晓:xiao
    ''')

GIVEN_FEMALE = _pairs('''
    芳:fang 娜:na 敏:min 静:jing 丽:li 艳:yan 娟:juan 霞:xia
    秀:xiu 玲:ling 婷:ting 雪:xue 慧:hui 颖:ying 倩:qian 琳:lin
    洁:jie 燕:yan 红:hong 梅:mei 莉:li 欣:xin 怡:yi 佳:jia
    悦:yue 萱:xuan 涵:han 诗:shi 雨:yu 梦:meng 思:si 晓:xiao
    琪:qi 瑶:yao 月:yue 晶:jing 妍:yan 蕾:lei 薇:wei 丹:dan
    ''')

# (province, city, city pinyin, landline area code, postal code prefix,
#  ID-card area prefix, region code, districts, streets)
CITIES = [
    ('上海市', '上海市', 'shanghai', '021', '200', '3101', 'east',
        '黄浦区 徐汇区 静安区 长宁区 浦东新区 闵行区 杨浦区 普陀区',
        '南京西路 淮海中路 衡山路 世纪大道 张杨路 虹桥路 四平路 '
        '武宁路 漕溪北路 陆家嘴环路'),
    ('北京市', '北京市', 'beijing', '010', '100', '1101', 'north',
        '朝阳区 海淀区 东城区 西城区 丰台区 通州区 昌平区',
        '建国路 中关村大街 长安街 三里屯路 望京街 学院路 '
        '西直门外大街 朝阳北路'),
    ('广东省', '广州市', 'guangzhou', '020', '510', '4401', 'south',
        '天河区 越秀区 海珠区 荔湾区 白云区 番禺区',
        '天河路 体育西路 北京路 中山五路 江南大道 黄埔大道 环市东路'),
    ('广东省', '深圳市', 'shenzhen', '0755', '518', '4403', 'south',
        '福田区 南山区 罗湖区 宝安区 龙岗区 龙华区',
        '深南大道 华强北路 科技园路 海德三道 东门路 民治大道'),
    ('浙江省', '杭州市', 'hangzhou', '0571', '310', '3301', 'east',
        '西湖区 上城区 拱墅区 滨江区 余杭区 萧山区',
        '文三路 延安路 湖滨路 江南大道 文一西路 钱江路 莫干山路'),
    ('江苏省', '南京市', 'nanjing', '025', '210', '3201', 'east',
        '玄武区 秦淮区 鼓楼区 建邺区 江宁区 栖霞区',
        '中山路 新街口 汉中路 江东中路 珠江路 龙蟠路'),
    ('江苏省', '苏州市', 'suzhou', '0512', '215', '3205', 'east',
        '姑苏区 工业园区 吴中区 相城区 虎丘区',
        '观前街 金鸡湖大道 干将路 人民路 现代大道'),
    ('四川省', '成都市', 'chengdu', '028', '610', '5101', 'southwest',
        '锦江区 青羊区 武侯区 成华区 金牛区 高新区',
        '春熙路 天府大道 人民南路 红星路 蜀都大道 府城大道'),
    ('重庆市', '重庆市', 'chongqing', '023', '400', '5001', 'southwest',
        '渝中区 江北区 南岸区 沙坪坝区 九龙坡区 渝北区',
        '解放碑 观音桥步行街 南滨路 三峡广场 杨家坪正街'),
    ('湖北省', '武汉市', 'wuhan', '027', '430', '4201', 'central',
        '江汉区 武昌区 洪山区 江岸区 汉阳区',
        '江汉路 中南路 解放大道 光谷大道 珞喻路 中北路'),
    ('陕西省', '西安市', 'xian', '029', '710', '6101', 'northwest',
        '雁塔区 碑林区 新城区 莲湖区 未央区',
        '长安路 东大街 小寨东路 高新路 南二环'),
    ('天津市', '天津市', 'tianjin', '022', '300', '1201', 'north',
        '和平区 河西区 南开区 河东区 滨海新区',
        '南京路 滨江道 友谊路 卫津路 黄河道'),
    ]

# share of customers living in each city, in CITIES order
CITY_WEIGHTS = [22, 15, 10, 10, 8, 6, 5, 7, 5, 5, 4, 3]

ESTATES = '''阳光花园 锦绣苑 翠湖天地 世纪华庭 滨江苑 御景湾 金色家园 碧水湾
    绿城桂花园 万科城 保利花园 春江花月 中海名城 紫金山庄 东方明珠苑 丽景华庭
    '''.split()

# province: (ISO 3166-2 code, Tryton subdivision type)
PROVINCES = {
    '上海市': ('CN-SH', 'municipality'),
    '北京市': ('CN-BJ', 'municipality'),
    '天津市': ('CN-TJ', 'municipality'),
    '重庆市': ('CN-CQ', 'municipality'),
    '广东省': ('CN-GD', 'province'),
    '浙江省': ('CN-ZJ', 'province'),
    '江苏省': ('CN-JS', 'province'),
    '四川省': ('CN-SC', 'province'),
    '湖北省': ('CN-HB', 'province'),
    '陕西省': ('CN-SN', 'province'),
    }


def city_region(city):
    "Region code of a CITIES row: the province for a municipality"
    province, name, id_prefix = city[0], city[1], city[5]
    return PROVINCES[province][0] if province == name else id_prefix + '00'


def _regions():
    "(code, name, parent code): country > area > province > city"
    regions = [
        ('CN', '中国', None),
        ('east', '华东区', 'CN'),
        ('north', '华北区', 'CN'),
        ('south', '华南区', 'CN'),
        ('southwest', '西南区', 'CN'),
        ('central', '华中区', 'CN'),
        ('northwest', '西北区', 'CN'),
        ]
    seen = set()
    for city in CITIES:
        province, name, area = city[0], city[1], city[6]
        code = PROVINCES[province][0]
        if code not in seen:
            seen.add(code)
            regions.append((code, province, area))
        if province != name:
            regions.append((city_region(city), name, code))
    return regions


# (code, name, parent code), parents first
REGIONS = _regions()

# (code, name, kind, city index in CITIES or None for all)
STORES = [
    ('HQ', '总部（上海）', 'head_office', 0),
    ('SH01', '上海南京西路店', 'direct', 0),
    ('SH02', '上海陆家嘴店', 'direct', 0),
    ('BJ01', '北京三里屯店', 'direct', 1),
    ('GZ01', '广州天河店', 'direct', 2),
    ('SZ01', '深圳福田店', 'direct', 3),
    ('HZ01', '杭州湖滨店', 'direct', 4),
    ('NJ01', '南京新街口店', 'direct', 5),
    ('CD01', '成都春熙路店', 'direct', 7),
    ('WH01', '武汉江汉路店', 'direct', 9),
    ('XA01', '西安钟楼加盟店', 'franchise', 10),
    ]

INDUSTRIES = [
    ('retail', '零售'), ('real_estate', '房地产'),
    ('manufacturing', '制造业'), ('it', '信息技术'), ('finance', '金融'),
    ('education', '教育培训'), ('healthcare', '医疗健康'),
    ('catering', '餐饮'), ('logistics', '物流运输'),
    ('construction', '建筑工程'), ('media', '文化传媒'),
    ('sports', '体育健身'),
    ]

# (code, name, weight, acquisition channel)
SOURCES = [
    ('walk_in', '门店自然客流', 24, 'walk_in'),
    ('referral', '老客户推荐', 14, 'phone'),
    ('wechat', '微信公众号', 16, 'social'),
    ('douyin', '抖音直播', 10, 'social'),
    ('tmall', '天猫旗舰店', 12, 'web'),
    ('jd', '京东自营', 6, 'web'),
    ('website', '官方网站', 5, 'web'),
    ('exhibition', '展会', 3, 'visit'),
    ('telemarketing', '电话营销', 4, 'phone'),
    ('property_agent', '房产中介合作', 4, 'visit'),
    ('community', '社区活动', 2, 'visit'),
    ]

# the RFM segments crm_core ships (the analytics fill them): code, name
SEGMENTS = [
    ('champions', '重要价值客户'), ('loyal', '忠诚客户'),
    ('potential', '潜力客户'), ('new', '新客户'), ('at_risk', '流失风险客户'),
    ('cant_lose', '重要挽留客户'), ('hibernating', '沉睡客户'),
    ('lost', '已流失客户'),
    ]

TAGS = ['VIP会员', '团购客户', '投诉敏感', '高意向', '老客户', '企业采购',
    '线上活跃', '跑步爱好者', '篮球爱好者', '瑜伽爱好者', '购房意向', '业主']

OCCUPATIONS = '''教师 工程师 医生 会计 销售经理 公务员 个体经营者 设计师 程序员
    律师 护士 大学生 退休人员 自由职业 企业主 产品经理 健身教练 行政文员
    '''.split()

EMAIL_DOMAINS = [('qq.com', 40), ('163.com', 20), ('126.com', 8),
    ('sina.com', 5), ('foxmail.com', 6), ('139.com', 4), ('outlook.com', 5),
    ('gmail.com', 4), ('sohu.com', 3), ('hotmail.com', 2)]

# Mobile prefixes of the three operators (all of the form 1[3-9]x)
MOBILE_PREFIXES = '''130 131 132 133 134 135 136 137 138 139 145 147 150
    151 152 153 155 156 157 158 159 166 173 175 176 177 178 180 181 182 183
    184 185 186 187 188 189 191 193 195 198 199'''.split()

# characters of company trade names (字号), two of them make one
BRAND_CHARS = _pairs('''
    华:hua 信:xin 恒:heng 达:da 鑫:xin 源:yuan 瑞:rui 丰:feng 永:yong
    泰:tai 金:jin 桥:qiao 宏:hong 图:tu 盛:sheng 中:zhong 联:lian
    嘉:jia 禾:he 博:bo 远:yuan 天:tian 诚:cheng 汇:hui 通:tong 锦:jin
    程:cheng 东:dong 方:fang 航:hang 德:de 润:run 兴:xing 利:li 海:hai
    川:chuan 长:chang 青:qing 明:ming 安:an 弘:hong 毅:yi 正:zheng
    和:he 九:jiu 州:zhou 凯:kai 越:yue 星:xing 辰:chen 聚:ju 创:chuang
    立:li 新:xin 光:guang 富:fu 万:wan 祥:xiang 启:qi 森:sen
    ''')

# (industry code, business words)
COMPANY_TRADES = [
    ('retail', '贸易'), ('retail', '商贸'), ('real_estate', '房地产开发'),
    ('real_estate', '物业管理'), ('manufacturing', '服饰制造'),
    ('manufacturing', '机械设备'), ('it', '信息技术'), ('it', '网络科技'),
    ('finance', '投资管理'), ('education', '教育咨询'),
    ('healthcare', '医疗器械'), ('catering', '餐饮管理'),
    ('logistics', '物流'), ('construction', '建筑工程'),
    ('construction', '装饰工程'), ('media', '文化传媒'),
    ('sports', '体育发展'), ('sports', '健身管理'),
    ]

COMPANY_FORMS = [('有限公司', 70), ('股份有限公司', 15),
    ('集团有限公司', 8), ('有限责任公司', 7)]

CONTACT_FUNCTIONS = '''总经理 采购经理 行政主管 财务经理 人事经理 副总经理 办公室主任
    工会主席'''.split()

# Product catalogue: (category, kind, series, variants, price range in CNY)
SPORT_SERIES = '疾风 云跃 飞羽 极光 锐动 逐浪 凌云 赤焰 山野 星轨'.split()
PRODUCT_LINES = [
    ('跑步鞋', 'goods', '跑鞋', '男款 女款 竞速版 缓震版', (399, 1299)),
    ('篮球鞋', 'goods', '篮球鞋', '高帮 低帮 实战版', (499, 1599)),
    ('休闲鞋', 'goods', '板鞋', '经典白 复古款', (299, 799)),
    ('运动T恤', 'goods', '速干T恤', '男款 女款 短袖 长袖', (99, 299)),
    ('卫衣', 'goods', '卫衣', '连帽 圆领 加绒', (259, 599)),
    ('运动裤', 'goods', '运动裤', '束脚 直筒 短裤', (159, 459)),
    ('羽绒服', 'goods', '羽绒服', '轻薄 中长 连帽', (599, 1999)),
    ('运动包', 'goods', '双肩包', '通勤 训练 大容量', (149, 499)),
    ('健身器材', 'goods', '瑜伽垫', '6mm 10mm', (79, 299)),
    ('配件', 'goods', '运动袜', '三双装 船袜 中筒', (29, 99)),
    ('球类', 'goods', '篮球', '7号 室外耐磨', (129, 399)),
    ]

# Real-estate services: (category, name, price range in CNY)
SERVICES = [
    ('房产服务', '二手房买卖居间服务', (20000, 80000)),
    ('房产服务', '新房代理购房咨询', (3000, 10000)),
    ('房产服务', '房屋租赁居间服务', (2000, 8000)),
    ('房产服务', '房屋价值评估', (800, 3000)),
    ('房产服务', '购房贷款代办', (1500, 5000)),
    ('房产服务', '产权过户代办', (1000, 4000)),
    ('物业服务', '物业管理费（年）', (2400, 12000)),
    ('物业服务', '车位租赁（月）', (300, 1200)),
    ('物业服务', '家政保洁服务', (200, 800)),
    ('物业服务', '房屋托管服务（年）', (3000, 9000)),
    ('装修服务', '全屋装修设计', (8000, 30000)),
    ('装修服务', '局部翻新工程', (5000, 20000)),
    ('会员服务', '年度会员卡', (199, 599)),
    ('会员服务', '私教课程（10节）', (1800, 4800)),
    ]

INTERACTION_SUBJECTS = {
    'phone': ['咨询新品到货时间', '会员积分查询', '售后退换货', '回访满意度',
        '预约看房', '物业报修', '投诉配送延迟'],
    'web': ['官网留言咨询尺码', '在线预约到店', '订单物流查询'],
    'email': ['发送电子发票', '企业团购报价', '活动邀请函'],
    'chat': ['微信客服咨询优惠', '在线客服咨询退款', '咨询房源信息'],
    'social': ['抖音直播间咨询', '公众号活动报名', '小红书笔记互动'],
    'visit': ['上门拜访企业客户', '陪同看房', '装修上门量房'],
    'walk_in': ['到店试穿', '到店办理会员', '到店咨询购房'],
    'letter': ['寄送会员生日礼券', '邮寄合同'],
    'fax': ['企业采购订单传真'],
    }

INTERACTION_OUTCOMES = ['已解决', '待跟进', '已预约', '无人接听', '已下单',
    '客户考虑中', '已转交专员']

PREFERENCES = ['偏好跑步类产品，鞋码42', '关注新品首发', '只在大促时购买',
    '偏好黑白基础色', '喜欢线上下单门店自提', '对价格敏感，关注优惠券',
    '偏好南向、低楼层，近地铁', '要求学区房', '希望周末联系',
    '不接受电话营销，请用微信联系', '企业年会团购需求']
